package liquibase.ext.partman.pack;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseLog;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * docs/managed-postgresql.md as a user on managed PostgreSQL runs it: the role {@code app}
 * (LOGIN, not a superuser, no pg_read_all_settings) with exactly the grants the document lists
 * (src/test/resources/sql/managed/*.sql), applying every change type and the whole pack in both
 * layouts: (a) the application database is the cron database; (b) pg_cron lives in another
 * database, where statistics-cron.xml makes the job.
 */
class ManagedPostgresqlTest {

    private static final String ROLE = "app";
    private static final String SCHEMA = "app";
    private static final String APP_DATABASE = "appdb";
    private static final String JOB = PackChangeLog.jobName(SCHEMA);

    private String cronDatabase;
    private String appDatabase;

    @BeforeEach
    void grantExactlyWhatTheDocumentSays() throws Exception {
        cronDatabase = TestDatabase.url();
        appDatabase = TestDatabase.urlOfDatabase(APP_DATABASE);
        try (Connection cron = TestDatabase.connect()) {
            SqlRows.execute(cron,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN "
                            + "CREATE ROLE app LOGIN NOSUPERUSER; END IF; END $$",
                    // Testcontainers' server asks clients from outside for a password; the local cluster trusts them.
                    "ALTER ROLE app PASSWORD 'app'",
                    "DELETE FROM cron.job_run_details WHERE username = 'app'",
                    "SELECT cron.unschedule(jobid) FROM cron.job WHERE username = 'app'");
            assertEquals(Map.of("rolsuper", false, "reads_all_settings", false), SqlRows.query(cron,
                    "SELECT rolsuper, pg_has_role('app', 'pg_read_all_settings', 'USAGE') AS reads_all_settings "
                            + "FROM pg_roles WHERE rolname = 'app'").get(0));
        }
        for (String database : List.of(cronDatabase, appDatabase)) {
            try (Connection connection = DriverManager.getConnection(database)) {
                SqlRows.execute(connection,
                        "DO $$ BEGIN IF to_regclass('partman.part_config') IS NOT NULL THEN "
                                + "DELETE FROM partman.part_config WHERE parent_table LIKE 'app.%'; END IF; END $$",
                        "DROP SCHEMA IF EXISTS app CASCADE",
                        "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'partman' "
                                + "AND tablename LIKE 'template\\_app\\_%' LOOP EXECUTE format('DROP TABLE partman.%I', t); END LOOP; END $$");
            }
        }
        runAsSuperuser(appDatabase, "app-database.sql");
        runAsSuperuser(cronDatabase, "app-database.sql");
        runAsSuperuser(cronDatabase, "cron-database.sql");
    }

    /**
     * Layout (b): the pack registers everything in appdb and leaves pg_cron alone; the job is made in
     * the cron database. The role cannot read the server's time zone: that is said once per run,
     * not once per change.
     */
    @Test
    void packInAnotherDatabaseThanPgCron() throws Exception {
        LiquibaseRun pack = new PackChangeLog(SCHEMA).run().against(asApp(appDatabase), SCHEMA);
        LiquibaseRun cronJob = cronChangeLog();
        for (int round = 0; round < 2; round++) {
            List<String> log = LiquibaseLog.of(pack::update);
            assertEquals(1, log.stream().filter(message -> message != null
                    && message.startsWith("Cannot read the server's default time zone")).count(), () -> String.join("\n", log));
            cronJob.update();
            try (Connection app = DriverManager.getConnection(appDatabase)) {
                assertFalse(SqlRows.exists(app, "SELECT 1 FROM pg_extension WHERE extname = 'pg_cron'"));
                assertEquals(3, SqlRows.count(app, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE 'app.%'"));
                assertEquals(List.of("extension-pg_cron", "health-view", "maintenance-job", "maintenance-job-2"), SqlRows.strings(app,
                        "SELECT id FROM app.databasechangelog WHERE exectype = 'MARK_RAN' AND id <> 'extension-pg_partman' ORDER BY id"));
                assertHealthReadable(app, "unknown");
            }
            try (Connection cron = TestDatabase.connect()) {
                assertEquals(List.of(Map.of("database", APP_DATABASE, "username", ROLE, "command",
                                "CALL \"app\".\"partman_maintenance\"(p_lock_timeout => '200ms', p_retry_for => '5 minutes')",
                                "active", false)),
                        SqlRows.query(cron, "SELECT database, username, command, active FROM cron.job WHERE jobname = '" + JOB + "'"));
            }
            cronJob.rollbackCount(2);
            pack.rollbackCount(PackChangeLog.CHANGE_SETS);
            try (Connection app = DriverManager.getConnection(appDatabase); Connection cron = TestDatabase.connect()) {
                assertFalse(SqlRows.exists(cron, "SELECT 1 FROM cron.job WHERE jobname = '" + JOB + "'"));
                assertFalse(SqlRows.exists(app, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE 'app.%'"));
                assertFalse(SqlRows.exists(app, "SELECT 1 FROM pg_class WHERE relnamespace = 'app'::regnamespace "
                        + "AND relname IN ('statistics_daily_users', 'statistics_monthly_users', 'statistics_yearly_users', 'partman_health')"));
            }
        }
        pack.update();
        cronJob.update();
    }

    /** Layout (a), the operations guide's: the application database is the cron database. */
    @Test
    void packInTheCronDatabase() throws Exception {
        LiquibaseRun pack = new PackChangeLog(SCHEMA).run().against(asApp(cronDatabase), SCHEMA);
        for (int round = 0; round < 2; round++) {
            pack.update();
            try (Connection cron = TestDatabase.connect()) {
                assertEquals(3, SqlRows.count(cron, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE 'app.%'"));
                assertEquals(List.of(Map.of("database", "partman_test", "username", ROLE, "active", false)),
                        SqlRows.query(cron, "SELECT database, username, active FROM cron.job WHERE jobname = '" + JOB + "'"));
                assertHealthReadable(cron, null);
            }
            pack.rollbackCount(PackChangeLog.CHANGE_SETS);
            try (Connection cron = TestDatabase.connect()) {
                assertFalse(SqlRows.exists(cron, "SELECT 1 FROM cron.job WHERE jobname = '" + JOB + "'"));
                assertFalse(SqlRows.exists(cron, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE 'app.%'"));
                assertFalse(SqlRows.exists(cron, "SELECT 1 FROM pg_views WHERE schemaname = 'app'"));
            }
        }
        pack.update();
    }

    /** Every change type and the precondition, as the role: policies in appdb, cron jobs from the cron database. */
    @Test
    void everyChangeTypeAsTheApplicationRole() throws Exception {
        LiquibaseRun policies = LiquibaseRun.of("policies.xml", xmlChangeLog("""
                  <changeSet id="table" author="app">
                    <sql>CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)</sql>
                    <rollback>DROP TABLE events</rollback>
                  </changeSet>
                  <changeSet id="register" author="app">
                    <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month" premake="2"
                        startPartition="2024-01-01"/>
                  </changeSet>
                  <changeSet id="retention" author="app">
                    <partman:setRetention tableName="events" retention="6 months" retentionKeepTable="false"/>
                  </changeSet>
                  <changeSet id="config" author="app">
                    <partman:setPartmanConfig tableName="events" premake="3" infiniteTimePartitions="true"/>
                  </changeSet>
                  <changeSet id="maintenance" author="app">
                    <partman:runPartmanMaintenance tableName="events"/>
                  </changeSet>
                  <changeSet id="row-in-default" author="app">
                    <sql>INSERT INTO events VALUES (1, (now() + interval '5 years')::date)</sql>
                    <rollback>DELETE FROM events WHERE id = 1</rollback>
                  </changeSet>
                  <changeSet id="repartition" author="app" runInTransaction="false">
                    <partman:repartitionDefault tableName="events"/>
                  </changeSet>
                  <changeSet id="default-empty" author="app">
                    <preConditions onFail="HALT"><partman:defaultPartitionEmpty tableName="events"/></preConditions>
                    <sql>SELECT 1</sql>
                    <rollback/>
                  </changeSet>
                """), asApp(appDatabase), SCHEMA);
        LiquibaseRun jobs = LiquibaseRun.of("jobs.xml", xmlChangeLog("""
                  <changeSet id="job" author="app">
                    <partman:scheduleCron jobName="app-events" schedule="0 3 * * *" database="appdb" active="false"
                        command="CALL partman.run_maintenance_proc()"/>
                  </changeSet>
                  <changeSet id="other-job" author="app">
                    <partman:scheduleCron jobName="app-other" schedule="0 4 * * *" database="appdb" active="false" command="SELECT 1"/>
                  </changeSet>
                  <changeSet id="drop-other-job" author="app">
                    <partman:unscheduleCron jobName="app-other"/>
                  </changeSet>
                """), asApp(cronDatabase), SCHEMA);
        for (int round = 0; round < 2; round++) {
            policies.update();
            jobs.update();
            try (Connection app = DriverManager.getConnection(appDatabase); Connection cron = TestDatabase.connect()) {
                assertEquals(Map.of("premake", 3, "retention", "6 months"), SqlRows.query(app,
                        "SELECT premake, retention FROM partman.part_config WHERE parent_table = 'app.events'").get(0));
                assertEquals(0, SqlRows.count(app, "SELECT count(*) FROM ONLY app.events_default"));
                assertEquals(1, SqlRows.count(app, "SELECT count(*) FROM app.events"));
                assertEquals(List.of(Map.of("jobname", "app-events", "database", APP_DATABASE, "username", ROLE)),
                        SqlRows.query(cron, "SELECT jobname, database, username FROM cron.job WHERE username = 'app'"));
            }
            jobs.rollbackCount(3);
            policies.rollbackCount(8);
            try (Connection app = DriverManager.getConnection(appDatabase); Connection cron = TestDatabase.connect()) {
                assertFalse(SqlRows.exists(app, "SELECT 1 FROM partman.part_config WHERE parent_table = 'app.events'"));
                assertFalse(SqlRows.exists(app, "SELECT 1 FROM pg_class WHERE relname = 'events' AND relnamespace = 'app'::regnamespace"));
                assertFalse(SqlRows.exists(cron, "SELECT 1 FROM cron.job WHERE username = 'app'"));
            }
        }
    }

    /**
     * The role may not see the state of another role's session (that takes pg_read_all_stats): a session holding
     * pg_partman's maintenance lock, idle as far as a superuser can tell, counts as maintenance under way, so
     * repartitionDefault waits for it instead of going on beside it, and finishes once the lock is free.
     */
    @Test
    void repartitionDefaultWaitsForMaintenanceTheRoleCannotSee() throws Exception {
        LiquibaseRun run = LiquibaseRun.of("repartition.xml", xmlChangeLog("""
                  <changeSet id="table" author="app">
                    <sql>CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="register" author="app">
                    <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 day" premake="1"/>
                  </changeSet>
                  <changeSet id="rows-in-default" author="app">
                    <sql>INSERT INTO events SELECT g, current_date + 5 + g % 3 FROM generate_series(1, 30) g</sql>
                  </changeSet>
                  <changeSet id="repartition" author="app" runInTransaction="false">
                    <partman:repartitionDefault tableName="events"/>
                  </changeSet>
                """), asApp(appDatabase), SCHEMA);
        try (Connection maintenance = DriverManager.getConnection(appDatabase)) {
            SqlRows.execute(maintenance, "SELECT pg_advisory_lock(hashtext('pg_partman run_maintenance'))");
            CompletableFuture<Void> update = CompletableFuture.runAsync(() -> {
                try {
                    run.update();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 600 && !SqlRows.exists(maintenance,
                    "SELECT 1 FROM pg_stat_activity WHERE usename = 'app' AND wait_event = 'PgSleep'"); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1000);
            assertFalse(update.isDone(), "repartitionDefault went on beside a maintenance session it could not see");
            assertEquals(30, SqlRows.count(maintenance, "SELECT count(*) FROM ONLY app.events_default"));
            SqlRows.execute(maintenance, "SELECT pg_advisory_unlock(hashtext('pg_partman run_maintenance'))");
            update.get(2, TimeUnit.MINUTES);
            assertEquals(0, SqlRows.count(maintenance, "SELECT count(*) FROM ONLY app.events_default"));
            assertEquals(30, SqlRows.count(maintenance, "SELECT count(*) FROM app.events"));
        }
    }

    /** The check before any change names every grant that is missing, here all of them, before anything changes. */
    @Test
    void missingGrantsAreNamedBeforeAnythingChanges() throws Exception {
        try (Connection app = DriverManager.getConnection(appDatabase)) {
            SqlRows.execute(app, "REVOKE USAGE, CREATE ON SCHEMA partman FROM app",
                    "REVOKE ALL ON ALL TABLES IN SCHEMA partman FROM app",
                    "CREATE TABLE app.events (at date NOT NULL) PARTITION BY RANGE (at)", "ALTER TABLE app.events OWNER TO app");
        }
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", xmlChangeLog("""
                  <changeSet id="register" author="app">
                    <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month"/>
                  </changeSet>
                """), asApp(appDatabase), SCHEMA);
        String messages = Failures.messages(assertThrows(Exception.class, run::update));
        assertTrue(messages.contains("role app may not use pg_partman in schema partman; it needs: GRANT USAGE ON SCHEMA partman TO app; "
                + "GRANT CREATE ON SCHEMA partman TO app; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA partman TO app;"),
                () -> messages);
        try (Connection app = DriverManager.getConnection(appDatabase)) {
            assertFalse(SqlRows.exists(app, "SELECT 1 FROM partman.part_config WHERE parent_table = 'app.events'"));
            assertEquals(0, SqlRows.count(app, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'app.events'::regclass"));
        }
    }

    /**
     * updateSQL against appdb: the retention preview is there, and the header says truthfully where
     * pg_cron is, as far as the role may know (cron.database_name needs pg_read_all_settings).
     */
    @Test
    void updateSqlWhereThereIsNoPgCron() throws Exception {
        String asApp = new PackChangeLog(SCHEMA).run().against(asApp(appDatabase), SCHEMA).updateSql();
        assertTrue(asApp.contains("(detected; pg_cron not installed in this database (role app may not read cron.database_name, "
                + "which names the one it lives in); pg_cron's version assumed from changelog properties)"), () -> asApp);
        assertTrue(asApp.contains("-- retention 6 months: no existing partition of app.statistics_daily_users is older than that"),
                () -> asApp);
        String asSuperuser = new PackChangeLog(SCHEMA).run().against(appDatabase, SCHEMA).updateSql();
        assertTrue(asSuperuser.contains("(detected; pg_cron lives in database partman_test; pg_cron's version assumed from "
                + "changelog properties)"), () -> asSuperuser);
    }

    private static void assertHealthReadable(Connection connection, String cronStatus) throws Exception {
        List<Map<String, Object>> health = SqlRows.query(connection, "SELECT parent_table, healthy, last_maintenance_status "
                + "FROM app.partman_health WHERE parent_table LIKE 'app.%' ORDER BY parent_table");
        assertEquals(3, health.size(), health::toString);
        for (Map<String, Object> row : health) {
            assertEquals(Boolean.TRUE, row.get("healthy"), row::toString);
            assertEquals(cronStatus, row.get("last_maintenance_status"), row::toString);
        }
    }

    private LiquibaseRun cronChangeLog() {
        return LiquibaseRun.of("cron.xml", xmlChangeLog("""
                  <property name="partman.pack.database" value="appdb"/>
                  <property name="partman.pack.schema" value="%s"/>
                  <property name="partman.pack.maintenance.jobName" value="%s"/>
                  <property name="partman.pack.maintenance.active" value="false"/>
                  <include file="%s"/>
                """.formatted(SCHEMA, JOB, PackChangeLog.CRON_JOB)), asApp(cronDatabase), SCHEMA);
    }

    private static String asApp(String url) {
        return url.replaceFirst("user=[^&]*", "user=app").replaceFirst("password=[^&]*", "password=app");
    }

    private static void runAsSuperuser(String url, String grants) throws Exception {
        String script = Files.readString(Path.of("src/test/resources/sql/managed", grants), StandardCharsets.UTF_8);
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, script);
        }
    }
}
