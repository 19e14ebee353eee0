package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The guide's pgcron-autorun-test.sh through the change types: a job scheduled every minute by
 * scheduleCron really runs, pg_cron records it as succeeded, and the partitions a raised premake
 * asks for exist afterwards. The job maintains only this test's table (run_maintenance with a
 * table), since other tests' tables share the cron database.
 */
@Tag("slow")
class CronAutorunTest {

    private static final String SCHEMA = "cron_autorun";
    private static final String JOB = "cron_autorun-maintenance";
    /** pg_cron starts jobs on the minute: at most 60 s to the next one, plus the run itself. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(75);

    @Test
    void aJobScheduledEveryMinuteRunsAndCreatesTheMissingPartitions() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            // A run stopped halfway leaves its job behind; this one must start from none.
            SqlRows.execute(connection, "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = '" + JOB + "'");
        }
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", xmlChangeLog(RunPartmanMaintenanceTest.tableWithRaisedPremake(SCHEMA)
                + """
                  <changeSet id="job" author="test">
                    <partman:scheduleCron jobName="%s" schedule="* * * * *"
                        command="SELECT partman.run_maintenance('%s.events')"/>
                  </changeSet>
                """.formatted(JOB, SCHEMA)), TestDatabase.url(), SCHEMA);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            Long jobId = (Long) SqlRows.value(connection, "SELECT jobid FROM cron.job WHERE jobname = '" + JOB + "'");
            assertNotNull(jobId, "scheduleCron created the job");
            try {
                assertFalse(RunPartmanMaintenanceTest.partitionsReachDaysAhead(connection, SCHEMA + ".events", 5),
                        "before the job runs, the raised premake's partitions are missing");
                Map<String, Object> finished = awaitFinishedRun(connection, jobId);
                assertEquals("succeeded", finished.get("status"), "cron.job_run_details: " + finished);
                assertTrue(RunPartmanMaintenanceTest.partitionsReachDaysAhead(connection, SCHEMA + ".events", 5),
                        "the job created the missing partitions");
            } finally {
                run.rollbackCount(1);
                SqlRows.execute(connection, "DELETE FROM cron.job_run_details WHERE jobid = " + jobId);
            }
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname = '" + JOB + "'"));
        }
    }

    private static Map<String, Object> awaitFinishedRun(Connection connection, long jobId) throws Exception {
        Instant deadline = Instant.now().plus(LONGEST_WAIT);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> runs = SqlRows.query(connection, "SELECT status, return_message, start_time "
                    + "FROM cron.job_run_details WHERE jobid = " + jobId + " AND status IN ('succeeded', 'failed') "
                    + "ORDER BY start_time DESC LIMIT 1");
            if (!runs.isEmpty()) {
                return runs.get(0);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("pg_cron did not finish a run of job " + JOB + " within " + LONGEST_WAIT.toSeconds()
                + " s: is pg_cron in shared_preload_libraries, and may it connect (cron.host, pg_hba)?");
    }
}
