package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.database.OfflineConnection;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.resource.SearchPathResourceAccessor;

/**
 * The procedure installPartmanMaintenance installs, against a report that holds a table: the
 * application's statements wait for maintenance's bounded lock attempts only, never for the
 * report; the held table is deferred and completed once the report ends (in the same run or the
 * next), the other tables are maintained meanwhile, and what pg_partman's maintenance leaves is
 * what run_maintenance_proc leaves. Its own database, so that "every table with automatic
 * maintenance on" is only this test's tables. Waits here are for states (pg_locks, the state
 * table), never for times.
 */
class PartmanMaintenanceTest {

    static final String DATABASE = "partman_maintenance_app";
    private static final String SCHEMA = "bounded";
    private static final String HELD = SCHEMA + ".stats";
    private static final String OTHER = SCHEMA + ".other";
    private static final String CALL = "CALL " + SCHEMA + ".partman_maintenance(p_lock_timeout => '%s', p_retry_for => '%s')";

    private static final ExecutorService SESSIONS = Executors.newCachedThreadPool();
    private String url;

    @BeforeEach
    void tablesWithRetentionDue() throws Exception {
        url = TestDatabase.urlOfDatabase(DATABASE);
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "CREATE SCHEMA IF NOT EXISTS partman", "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman",
                    "DELETE FROM partman.part_config", "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        }
        changeLog().update();
    }

    @AfterAll
    static void stopSessions() {
        SESSIONS.shutdownNow();
    }

    /** Monthly tables from 12 months ago, premake 3, retention 6 months: maintenance has partitions to drop. */
    private LiquibaseRun changeLog() {
        StringBuilder changeSets = new StringBuilder();
        String start = LocalDate.now().withDayOfMonth(1).minusMonths(12).toString();
        for (String table : List.of("stats", "other", "twin")) {
            changeSets.append("""
                      <changeSet id="%2$s" author="test">
                        <sql>CREATE TABLE %1$s.%2$s (d date NOT NULL, v int) PARTITION BY RANGE (d)</sql>
                        <partman:createPartmanParent schemaName="%1$s" tableName="%2$s" controlColumn="d" interval="1 month"
                            premake="3" startPartition="%3$s" automaticMaintenance="%4$s"/>
                        <partman:setRetention schemaName="%1$s" tableName="%2$s" retention="6 months" retentionKeepTable="false"/>
                        <sql>INSERT INTO %1$s.%2$s SELECT current_date - i, i FROM generate_series(0, 330, 3) i</sql>
                      </changeSet>
                    """.formatted(SCHEMA, table, start, !table.equals("twin")));
        }
        changeSets.append("""
                  <changeSet id="install" author="test">
                    <partman:installPartmanMaintenance schemaName="%s"/>
                  </changeSet>
                """.formatted(SCHEMA));
        return LiquibaseRun.of("changelog.xml", xmlChangeLog(changeSets.toString()), url, SCHEMA);
    }

    @Test
    void theApplicationWaitsForMaintenancesBoundedAttemptOnlyAndTheHeldTableIsDeferred() throws Exception {
        try (Connection report = DriverManager.getConnection(url); Connection maintenance = DriverManager.getConnection(url);
             Connection application = DriverManager.getConnection(url); Connection watcher = DriverManager.getConnection(url)) {
            report.setAutoCommit(false);
            SqlRows.value(report, "SELECT count(*) FROM " + HELD);
            int maintenancePid = pid(maintenance);
            // A bound long enough to see maintenance wait, and the application queue behind it.
            Future<?> run = SESSIONS.submit(() -> call(maintenance, "3s", "0 seconds"));
            awaitWaiting(watcher, maintenancePid);
            int applicationPid = pid(application);
            Future<?> query = SESSIONS.submit(() -> SqlRows.value(application, "SELECT count(*) FROM " + HELD + " WHERE d = current_date"));
            awaitWaitingOrDone(watcher, applicationPid, query);
            query.get(2, TimeUnit.MINUTES);
            assertTrue(SqlRows.exists(watcher, "SELECT 1 FROM pg_stat_activity WHERE pid = " + pid(report)
                    + " AND state = 'idle in transaction'"), "the application's query finished while the report still held the table");
            run.get(2, TimeUnit.MINUTES);

            Map<String, Object> held = state(watcher, HELD);
            assertNull(held.get("last_completed_at"));
            assertEquals(1, held.get("deferrals"));
            assertNull(held.get("last_error"));
            assertNotNull(state(watcher, OTHER).get("last_completed_at"), "the other table was maintained meanwhile");
            assertEquals(0, state(watcher, OTHER).get("deferrals"));
            report.commit();

            SqlRows.execute(maintenance, CALL.formatted("200ms", "0 seconds"));
            held = state(watcher, HELD);
            assertNotNull(held.get("last_completed_at"), "the next run completes it");
            assertEquals(0, held.get("deferrals"));
            assertEquals(partitions(watcher, OTHER), partitions(watcher, HELD));
        }
    }

    @Test
    void aDeferredTableIsRetriedInTheSameRunOnceTheLockIsGone() throws Exception {
        try (Connection report = DriverManager.getConnection(url); Connection maintenance = DriverManager.getConnection(url);
             Connection watcher = DriverManager.getConnection(url)) {
            report.setAutoCommit(false);
            SqlRows.value(report, "SELECT count(*) FROM " + HELD);
            Future<?> run = SESSIONS.submit(() -> call(maintenance, "200ms", "5 minutes"));
            while (!SqlRows.exists(watcher, "SELECT 1 FROM " + SCHEMA + ".partman_maintenance_state WHERE parent_table = '"
                    + HELD + "' AND deferrals > 0")) {
                assertFalse(run.isDone(), "the run retries the held table instead of ending");
                Thread.sleep(50);
            }
            report.commit();
            run.get(2, TimeUnit.MINUTES);
            Map<String, Object> held = state(watcher, HELD);
            assertNotNull(held.get("last_completed_at"));
            assertEquals(0, held.get("deferrals"));
            assertNotNull(held.get("last_deferred_at"));
        }
    }

    /**
     * Another error is recorded and not retried: a view depends on the oldest partition, which the
     * retention must drop (pg_partman 5.5 only logs it, as a WARNING, and goes on).
     */
    @Test
    void anErrorThatIsNotALockIsRecordedAndNotRetried() throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            String oldest = (String) SqlRows.value(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + HELD + "') LIMIT 1");
            SqlRows.execute(connection, "CREATE VIEW " + SCHEMA + ".keeps_oldest AS SELECT * FROM " + oldest);
            SqlRows.execute(connection, CALL.formatted("200ms", "5 minutes"));
            Map<String, Object> held = state(connection, HELD);
            assertNull(held.get("last_completed_at"));
            assertEquals(0, held.get("deferrals"));
            String error = (String) held.get("last_error");
            assertTrue(TestDatabase.partmanVersion().atLeast(5, 5) ? error.contains("WARNING") : error.contains("depend"), error);
            assertNotNull(state(connection, OTHER).get("last_completed_at"));

            SqlRows.execute(connection, "DROP VIEW " + SCHEMA + ".keeps_oldest", CALL.formatted("200ms", "0 seconds"));
            held = state(connection, HELD);
            assertNotNull(held.get("last_completed_at"));
            assertNull(held.get("last_error"), "completing clears the error");
        }
    }

    /**
     * A lock timeout outside the partition tree is a deferral too: the new partition's ATTACH clones
     * a foreign key, which locks the referenced table, and a writer holds that table.
     */
    @Test
    void aLockTimeoutOnAReferencedTableIsADeferralAndNotAnError() throws Exception {
        try (Connection writer = DriverManager.getConnection(url); Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".users (id int PRIMARY KEY)",
                    "INSERT INTO " + SCHEMA + ".users SELECT generate_series(0, 1000)",
                    "ALTER TABLE " + HELD + " ADD FOREIGN KEY (v) REFERENCES " + SCHEMA + ".users",
                    "UPDATE partman.part_config SET premake = 5 WHERE parent_table = '" + HELD + "'");
            writer.setAutoCommit(false);
            SqlRows.execute(writer, "INSERT INTO " + SCHEMA + ".users VALUES (1001)");
            SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            Map<String, Object> held = state(connection, HELD);
            assertNull(held.get("last_error"));
            assertEquals(1, held.get("deferrals"));
            assertNull(held.get("last_completed_at"));
            writer.commit();

            SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            held = state(connection, HELD);
            assertNotNull(held.get("last_completed_at"));
            assertEquals(0, held.get("deferrals"));
        }
    }

    /**
     * An error that is not a lock is an error at once, even while a report holds the table (here: a
     * partition interval pg_partman cannot read, before it asks for any lock). pg_partman 5.5 logs a
     * set's error as a WARNING no caller can read; there, the locks are taken to tell, so the report
     * makes it a deferral (docs/design/maintenance.md).
     */
    @Test
    void anErrorThatIsNotALockIsAnErrorAtOnceWhileAReportHoldsTheTable() throws Exception {
        try (Connection report = DriverManager.getConnection(url); Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "UPDATE partman.part_config SET partition_interval = 'not an interval' WHERE parent_table = '"
                    + HELD + "'");
            report.setAutoCommit(false);
            SqlRows.value(report, "SELECT count(*) FROM " + HELD);
            SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            Map<String, Object> held = state(connection, HELD);
            assertNull(held.get("last_completed_at"));
            if (TestDatabase.partmanVersion().atLeast(5, 5)) {
                assertEquals(1, held.get("deferrals"));
                assertNull(held.get("last_error"));
            } else {
                assertEquals(0, held.get("deferrals"));
                String error = (String) held.get("last_error");
                assertTrue(error.startsWith("invalid input syntax for type interval"), error);
            }
            report.commit();
        }
    }

    /**
     * An autovacuum on the partition retention must drop: PostgreSQL cancels it only from a waiter's
     * deadlock check, after deadlock_timeout, which the bound is well below. The procedure cancels
     * it (this test's role is a superuser) and completes in the same attempt.
     */
    @Test
    void anAutovacuumInTheWayIsCancelledAndMaintenanceCompletes() throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            String oldest = (String) SqlRows.value(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + HELD + "') LIMIT 1");
            SqlRows.execute(connection, "ALTER TABLE " + oldest + " SET (autovacuum_vacuum_cost_delay = 100, "
                    + "autovacuum_vacuum_cost_limit = 1, autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0)",
                    "INSERT INTO " + oldest + " SELECT date_trunc('month', current_date - interval '12 months'), g "
                    + "FROM generate_series(1, 100000) g",
                    "DELETE FROM " + oldest + " WHERE v % 2 = 0",
                    "ALTER SYSTEM SET autovacuum_naptime = '1s'", "SELECT pg_reload_conf()");
            try {
                String vacuumOfOldest = "SELECT 1 FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.granted "
                        + "WHERE a.backend_type = 'autovacuum worker' AND l.relation = '" + oldest + "'::regclass";
                for (int i = 0; !SqlRows.exists(connection, vacuumOfOldest); i++) {
                    assertTrue(i < 6000, "no autovacuum started on " + oldest);
                    Thread.sleep(20);
                }
                SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            } finally {
                SqlRows.execute(connection, "ALTER SYSTEM RESET autovacuum_naptime", "SELECT pg_reload_conf()");
            }
            Map<String, Object> held = state(connection, HELD);
            assertNotNull(held.get("last_completed_at"), () -> "deferred: " + held);
            assertNull(SqlRows.value(connection, "SELECT to_regclass('" + oldest + "')"), "retention dropped it");
        }
    }

    /**
     * pg_partman 5.5 skips a set on purpose while partition_data_async works on it: neither
     * maintained nor failed. Before 5.5 there is no such column and no such skip: the set completes.
     */
    @Test
    void aSetPgPartmanSkipsOnPurposeIsNotAFailure() throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            boolean async = SqlRows.exists(connection, "SELECT 1 FROM pg_attribute WHERE attrelid = 'partman.part_config'::regclass "
                    + "AND attname = 'async_partitioning_in_progress'");
            assertEquals(TestDatabase.partmanVersion().atLeast(5, 5), async);
            if (async) {
                SqlRows.execute(connection, "UPDATE partman.part_config SET async_partitioning_in_progress = 'test' "
                        + "WHERE parent_table = '" + HELD + "'");
            }
            List<String> before = partitions(connection, HELD);
            SqlRows.execute(connection, CALL.formatted("200ms", "5 minutes"));
            Map<String, Object> held = state(connection, HELD);
            assertNull(held.get("last_error"));
            assertEquals(0, held.get("deferrals"));
            if (async) {
                assertNull(held.get("last_completed_at"));
                assertEquals(before, partitions(connection, HELD), "pg_partman's skip is left alone");
            } else {
                assertNotNull(held.get("last_completed_at"));
            }
            assertNotNull(state(connection, OTHER).get("last_completed_at"));
        }
    }

    /** Values PostgreSQL would refuse only when the job runs (then no set is maintained) are refused by validate(). */
    @Test
    void validateRefusesATimeoutPostgresqlCannotSetAndANegativeRetry() {
        SchedulePartmanMaintenanceChange change = new SchedulePartmanMaintenanceChange();
        change.setSchemaName(SCHEMA);
        change.setJobName("maintenance");
        change.setSchedule("@hourly");
        change.setLockTimeout("9999999min");
        change.setRetryFor("5 minutes ago");
        List<String> errors = change.validate(offlineDatabase()).getErrorMessages();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("schedulePartmanMaintenance.lockTimeout: '9999999min' is more than")),
                errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("schedulePartmanMaintenance.retryFor: '5 minutes ago' is negative")),
                errors::toString);
        change.setLockTimeout("35791min");
        change.setRetryFor("-1 minute");
        errors = change.validate(offlineDatabase()).getErrorMessages();
        assertFalse(errors.stream().anyMatch(e -> e.contains("lockTimeout")), errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("schedulePartmanMaintenance.retryFor: '-1 minute' is negative")),
                errors::toString);
    }

    /** The twin (automatic maintenance off) is maintained by pg_partman's own procedure: the same partitions. */
    @Test
    void leavesThePartitionsPgPartmansOwnMaintenanceLeaves() throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            List<String> before = partitions(connection, HELD);
            SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            SqlRows.execute(connection, "UPDATE partman.part_config SET automatic_maintenance = CASE WHEN parent_table = '"
                    + SCHEMA + ".twin' THEN 'on' ELSE 'off' END", "CALL partman.run_maintenance_proc()");
            List<String> after = partitions(connection, HELD);
            assertFalse(before.equals(after), "retention and premake had work to do");
            assertEquals(partitions(connection, SCHEMA + ".twin"), after);
            assertEquals(partitions(connection, OTHER), after);
        }
    }

    @Test
    void rollbackRemovesWhatInstallCreated() throws Exception {
        LiquibaseRun run = changeLog();
        run.rollbackCount(1);
        try (Connection connection = DriverManager.getConnection(url)) {
            assertNull(SqlRows.value(connection, "SELECT to_regclass('" + SCHEMA + ".partman_maintenance_state')"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_proc WHERE proname = 'partman_maintenance'"));
        }
        run.update();
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, CALL.formatted("200ms", "0 seconds"));
            // the two tables with automatic maintenance on
            assertEquals(2L, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".partman_maintenance_state "
                    + "WHERE last_completed_at IS NOT NULL"));
        }
    }

    private static PostgresDatabase offlineDatabase() {
        PostgresDatabase database = new PostgresDatabase();
        database.setConnection(new OfflineConnection("offline:postgresql", new SearchPathResourceAccessor(".")));
        return database;
    }

    private static Void call(Connection connection, String lockTimeout, String retryFor) throws SQLException {
        SqlRows.execute(connection, CALL.formatted(lockTimeout, retryFor));
        return null;
    }

    private static int pid(Connection connection) throws SQLException {
        return ((Number) SqlRows.value(connection, "SELECT pg_backend_pid()")).intValue();
    }

    private static boolean waiting(Connection watcher, int pid) throws SQLException {
        return SqlRows.exists(watcher, "SELECT 1 FROM pg_locks WHERE pid = " + pid + " AND NOT granted");
    }

    private static void awaitWaiting(Connection watcher, int pid) throws Exception {
        while (!waiting(watcher, pid)) {
            Thread.sleep(20);
        }
    }

    private static void awaitWaitingOrDone(Connection watcher, int pid, Future<?> query) throws Exception {
        while (!query.isDone() && !waiting(watcher, pid)) {
            Thread.sleep(20);
        }
    }

    private static Map<String, Object> state(Connection connection, String table) throws SQLException {
        return SqlRows.query(connection, "SELECT * FROM " + SCHEMA + ".partman_maintenance_state WHERE parent_table = '" + table + "'").get(0);
    }

    /** The partitions' bounds, oldest first (names differ by table, bounds do not). */
    private static List<String> partitions(Connection connection, String table) throws SQLException {
        return SqlRows.strings(connection, "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = '" + table + "'::regclass ORDER BY 1");
    }
}
