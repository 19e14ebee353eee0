package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** The pack's partman_health view, and the monitoring queries of docs/health-view.md, on a real server. */
class HealthViewTest {

    private static final String SCHEMA = "pack_health";
    private static final String JOB = PackChangeLog.jobName(SCHEMA);
    private static final String DAILY = SCHEMA + ".statistics_daily_users";
    private static final String YEARLY = SCHEMA + ".statistics_yearly_users";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void reportsPartitionsDefaultRowsAndTheLastMaintenanceRun() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        try (Connection connection = TestDatabase.connect()) {
            Map<String, Object> daily = health(connection, DAILY);
            assertEquals(Boolean.TRUE, daily.get("healthy"));
            assertEquals(0L, daily.get("default_rows"));
            assertEquals(Boolean.TRUE, daily.get("premake_ok"));
            assertEquals("6 months", daily.get("retention"));
            assertNull(daily.get("last_maintenance_status"));
            // Monthly partitions from January 2024 up to the current month and 3 more.
            assertEquals(SqlRows.count(connection, "SELECT count(*) FROM generate_series('2024-01-01'::timestamptz, "
                    + "date_trunc('month', now()) + interval '3 months', interval '1 month')"), daily.get("partition_count"));
            assertEquals(Boolean.TRUE, SqlRows.value(connection, "SELECT newest_partition_end = date_trunc('month', now()) "
                    + "+ interval '4 months' FROM pack_health.partman_health WHERE parent_table = '" + DAILY + "'"));

            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) "
                    + "VALUES (gen_random_uuid(), (now() + interval '2 years')::date, gen_random_uuid())");
            daily = health(connection, DAILY);
            assertEquals(1L, daily.get("default_rows"));
            assertEquals(Boolean.FALSE, daily.get("healthy"));
            assertEquals(Boolean.TRUE, health(connection, YEARLY).get("healthy"));

            // Maintenance fell behind: a premake the partitions made so far do not reach.
            SqlRows.execute(connection, "UPDATE partman.part_config SET premake = 10 WHERE parent_table = '" + YEARLY + "'");
            assertEquals(Boolean.FALSE, health(connection, YEARLY).get("premake_ok"));
            assertEquals(Boolean.FALSE, health(connection, YEARLY).get("healthy"));
            SqlRows.execute(connection, "UPDATE partman.part_config SET premake = 2 WHERE parent_table = '" + YEARLY + "'");

            // Runs of the pack's job as pg_cron records them: an older success, then a failure.
            // (Written here rather than waited for: pg_cron runs a job at the next minute at the
            // earliest, and the view only reads what pg_cron wrote.)
            recordRun(connection, "succeeded", "CALL", "now() - interval '2 hours'");
            recordRun(connection, "failed", "ERROR: updated partition constraint for default partition "
                    + "\"statistics_daily_users_default\" would be violated by some row", "now() - interval '1 hour'");
            Map<String, Object> yearly = health(connection, YEARLY);
            assertEquals(JOB, yearly.get("maintenance_job"));
            assertEquals("failed", yearly.get("last_maintenance_status"));
            assertTrue(((String) yearly.get("last_maintenance_message")).contains("would be violated by some row"));
            // now() moves between statements; the failed run is the one of about an hour ago.
            assertEquals(Boolean.TRUE, SqlRows.value(connection, "SELECT abs(extract(epoch FROM now() - interval '1 hour' "
                    + "- last_maintenance_at)) < 5 FROM pack_health.partman_health WHERE parent_table = '" + YEARLY + "'"));
            assertEquals(Boolean.FALSE, yearly.get("healthy"));
        }
    }

    @Test
    void readmeMonitoringQueriesRun() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        String queries = Files.readString(Path.of("src/test/resources/sql/statistics-pack/monitoring.sql"), StandardCharsets.UTF_8)
                .replace("public.partman_health", SCHEMA + ".partman_health");
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) "
                    + "VALUES (gen_random_uuid(), (now() + interval '2 years')::date, gen_random_uuid())");
            for (String query : queries.split(";\n")) {
                if (!query.isBlank()) {
                    SqlRows.query(connection, query);
                }
            }
            String alert = queries.substring(0, queries.indexOf(';'));
            assertEquals(List.of(DAILY), SqlRows.strings(connection, "SELECT parent_table FROM (" + alert + ") a "
                    + "WHERE parent_table LIKE 'pack_health.%'"));
            assertTrue(SqlRows.strings(connection, "SELECT default_table FROM partman.check_default()")
                    .contains(DAILY + "_default"));
        }
    }

    private static Map<String, Object> health(Connection connection, String table) throws Exception {
        return SqlRows.query(connection, "SELECT * FROM pack_health.partman_health WHERE parent_table = '" + table + "'").get(0);
    }

    private static void recordRun(Connection connection, String status, String message, String startTime) throws Exception {
        SqlRows.execute(connection, "INSERT INTO cron.job_run_details (jobid, database, username, command, status, "
                + "return_message, start_time, end_time) SELECT jobid, database, username, command, '" + status + "', '"
                + message.replace("'", "''") + "', date_trunc('second', " + startTime + "), date_trunc('second', " + startTime
                + ") + interval '2 seconds' FROM cron.job WHERE jobname = '" + JOB + "'");
    }
}
