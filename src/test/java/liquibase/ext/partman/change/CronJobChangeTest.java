package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * scheduleCron and unscheduleCron against the real pg_cron: what lands in cron.job, what
 * rollback puts back, and what happens in a database without pg_cron. Job names start with
 * this class's schema name, so that other tests' jobs are never touched.
 */
class CronJobChangeTest {

    private static final String SCHEMA = "cron_job_change";
    /** A second database, as an application database next to the cron database. */
    static final String APP_DATABASE = "cron_job_change_app";
    private static final String JOB_COLUMNS = "jobid, schedule, command, nodename, nodeport, database, username, active, jobname";

    @BeforeEach
    @AfterEach
    void clean() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE '" + SCHEMA + "%'");
        }
    }

    private static LiquibaseRun changeLog(String changeSets) {
        return LiquibaseRun.of("changelog.xml", xmlChangeLog(changeSets), TestDatabase.url(), SCHEMA);
    }

    private static List<Map<String, Object>> job(Connection connection, String name) throws SQLException {
        return SqlRows.query(connection, "SELECT " + JOB_COLUMNS + " FROM cron.job WHERE jobname = '" + name + "'");
    }

    @Test
    void guideHourlyAndDailyJobsAndTheirRollback() throws Exception {
        LiquibaseRun run = changeLog("""
                  <changeSet id="hourly" author="test">
                    <partman:scheduleCron jobName="cron_job_change-partman-maintenance" schedule="0 * * * *"
                        command="CALL partman.run_maintenance_proc()"/>
                  </changeSet>
                  <changeSet id="daily" author="test">
                    <partman:scheduleCron jobName="cron_job_change-partman-daily-maintenance" schedule="0 2 * * *">
                      CALL partman.run_maintenance_proc()
                    </partman:scheduleCron>
                  </changeSet>
                """);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            List<Map<String, Object>> jobs = SqlRows.query(connection, "SELECT jobname, schedule, command, database, "
                    + "username = current_user AS mine, active FROM cron.job WHERE jobname LIKE '" + SCHEMA + "%' ORDER BY jobname");
            assertEquals(List.of(
                    Map.of("jobname", "cron_job_change-partman-daily-maintenance", "schedule", "0 2 * * *",
                            "command", "CALL partman.run_maintenance_proc()", "database", "partman_test", "mine", true, "active", true),
                    Map.of("jobname", "cron_job_change-partman-maintenance", "schedule", "0 * * * *",
                            "command", "CALL partman.run_maintenance_proc()", "database", "partman_test", "mine", true, "active", true)),
                    jobs);
        }
        run.rollbackCount(2);
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname LIKE '" + SCHEMA + "%'"),
                    "rollback of fresh jobs leaves no job");
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".partman_change_undo"));
        }
    }

    @Test
    void rollbackRestoresAPreExistingJobExactly() throws Exception {
        String appUrl = TestDatabase.urlOfDatabase(APP_DATABASE);
        List<Map<String, Object>> before;
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "SELECT cron.schedule_in_database('cron_job_change-existing', '5 4 * * *', "
                    + "'SELECT ''before''', '" + APP_DATABASE + "', NULL, false)");
            before = job(connection, "cron_job_change-existing");
        }
        assertTrue(appUrl.contains(APP_DATABASE));
        LiquibaseRun run = changeLog("""
                  <changeSet id="replace" author="test">
                    <partman:scheduleCron jobName="cron_job_change-existing" schedule="*/10 * * * *" command="SELECT 'after'"
                        active="true"/>
                  </changeSet>
                """);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            Map<String, Object> replaced = job(connection, "cron_job_change-existing").get(0);
            assertEquals(before.get(0).get("jobid"), replaced.get("jobid"), "pg_cron's upsert keeps the job");
            assertEquals("*/10 * * * *", replaced.get("schedule"));
            assertEquals("SELECT 'after'", replaced.get("command"));
            assertEquals("partman_test", replaced.get("database"), "no database attribute: the job runs in the cron database");
            assertEquals(true, replaced.get("active"));
        }
        run.rollbackCount(1);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(before, job(connection, "cron_job_change-existing"));
        }
    }

    @Test
    void commandsArriveByteForByte() throws Exception {
        String quotes = "SELECT 'it''s', $$dollar quoted$$, $partman$ tag $partman$; SELECT \"quoted ident\" FROM x";
        String multiLine = """
                DO $$
                BEGIN
                  RAISE NOTICE 'multi; line %', $tag$ it's $$ here $tag$;
                END
                $$;
                SELECT E'\\n', '\\\\' AS backslash, '%' AS percent;""";
        LiquibaseRun run = changeLog("""
                  <changeSet id="attribute" author="test">
                    <partman:scheduleCron jobName="cron_job_change-quotes" schedule="@daily"
                        command="%s"/>
                  </changeSet>
                  <changeSet id="text" author="test">
                    <partman:scheduleCron jobName="cron_job_change-multi-line" schedule="@daily"><![CDATA[%s]]></partman:scheduleCron>
                  </changeSet>
                """.formatted(quotes.replace("\"", "&quot;"), multiLine));
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(quotes, job(connection, "cron_job_change-quotes").get(0).get("command"));
            assertEquals(multiLine, job(connection, "cron_job_change-multi-line").get(0).get("command"));
        }
    }

    @Test
    void yamlBlockScalarsArriveUnchanged() throws Exception {
        LiquibaseRun.of("changelog.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: yaml
                      author: test
                      changes:
                        - scheduleCron:
                            jobName: cron_job_change-yaml
                            schedule: "*/15 * * * *"
                            command: |-
                              SELECT 'it''s';
                                SELECT $$ indented $$;
                """, TestDatabase.url(), SCHEMA).update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals("SELECT 'it''s';\n  SELECT $$ indented $$;", job(connection, "cron_job_change-yaml").get(0).get("command"));
        }
    }

    @Test
    void inADatabaseWithoutPgCronItFailsAndSaysToUseTheDatabaseAttribute() throws Exception {
        String appUrl = TestDatabase.urlOfDatabase(APP_DATABASE);
        try (Connection app = DriverManager.getConnection(appUrl)) {
            SqlRows.execute(app, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        }
        String schedule = """
                  <changeSet id="job" author="test">
                    <partman:scheduleCron jobName="cron_job_change-app-maintenance" schedule="0 * * * *"
                        command="CALL partman.run_maintenance_proc()"%s/>
                  </changeSet>
                """;
        Exception failure = assertThrows(Exception.class, () ->
                LiquibaseRun.of("changelog.xml", xmlChangeLog(schedule.formatted("")), appUrl, SCHEMA).update());
        String message = Failures.messages(failure);
        assertTrue(message.contains("pg_cron jobs can only be managed in the database named by cron.database_name "
                + "(partman_test), not in " + APP_DATABASE), message);
        assertTrue(message.contains("Run this changelog against database partman_test; to make a job run in " + APP_DATABASE
                + ", give scheduleCron the attribute database=\"" + APP_DATABASE + "\""), message);

        // The fix the message gives: the changelog runs in the cron database, the job in the application database.
        changeLog(schedule.formatted(" database=\"" + APP_DATABASE + "\"")).update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(APP_DATABASE, job(connection, "cron_job_change-app-maintenance").get(0).get("database"));
        }
    }

    @Test
    void unscheduleRemovesAJobAndRollbackRecreatesIt() throws Exception {
        TestDatabase.urlOfDatabase(APP_DATABASE);
        List<Map<String, Object>> before;
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "SELECT cron.schedule_in_database('cron_job_change-old', '15 3 * * 1-5', "
                    + "'SELECT 1', '" + APP_DATABASE + "', NULL, false)");
            before = job(connection, "cron_job_change-old");
        }
        LiquibaseRun run = changeLog("""
                  <changeSet id="remove" author="test">
                    <partman:unscheduleCron jobName="cron_job_change-old"/>
                  </changeSet>
                  <changeSet id="remove-again" author="test">
                    <partman:unscheduleCron jobName="cron_job_change-old"/>
                  </changeSet>
                """);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertTrue(job(connection, "cron_job_change-old").isEmpty());
        }
        run.rollbackCount(2);
        try (Connection connection = TestDatabase.connect()) {
            List<Map<String, Object>> recreated = job(connection, "cron_job_change-old");
            assertEquals(withoutJobId(before), withoutJobId(recreated), "the same job, under a new jobid");
        }
    }

    @Test
    void unscheduleWithIfExistsFalseFailsOnAMissingJob() {
        Exception failure = assertThrows(Exception.class, () -> changeLog("""
                  <changeSet id="remove" author="test">
                    <partman:unscheduleCron jobName="cron_job_change-never-there" ifExists="false"/>
                  </changeSet>
                """).update());
        assertTrue(Failures.messages(failure).contains("pg_cron job cron_job_change-never-there of role postgres does not exist"),
                Failures.messages(failure));
    }

    private static List<Map<String, Object>> withoutJobId(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.remove("jobid");
            return copy;
        }).toList();
    }

}
