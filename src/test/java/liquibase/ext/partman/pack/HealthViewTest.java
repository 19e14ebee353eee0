package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
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
    private static final String MAINTENANCE_INCOMPLETE =
            "maintenance did not complete for this table, while it did for others (pg_partman 5.5 logs a WARNING naming the cause)";

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

    /** A missing range between the oldest and the newest partition (issue 10) is a problem, named by its bounds. */
    @Test
    void reportsAHole() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        try (Connection connection = TestDatabase.connect()) {
            assertNull(health(connection, YEARLY).get("holes"));
            String child2025 = (String) SqlRows.value(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + YEARLY + "') OFFSET 1 LIMIT 1");
            SqlRows.execute(connection, "ALTER TABLE " + YEARLY + " DETACH PARTITION " + child2025, "DROP TABLE " + child2025);
            Map<String, Object> yearly = health(connection, YEARLY);
            assertEquals("[2025-01-01, 2026-01-01)", yearly.get("holes"));
            assertEquals(List.of("no partition for [2025-01-01, 2026-01-01)"), problems(yearly));
            assertEquals(Boolean.FALSE, yearly.get("healthy"));
            assertEquals(Boolean.TRUE, health(connection, DAILY).get("healthy"));
        }
    }

    /**
     * One table's maintenance fails on purpose: a view depends on its oldest partition, which the
     * retention drops. pg_partman 5.5 goes on with the other tables, logs a WARNING and clears that
     * table's maintenance_last_run while the job succeeds; earlier versions stop, and pg_cron records
     * the job's run as failed (written here as pg_cron writes it, rather than waited for).
     */
    @Test
    void reportsATableWhoseMaintenanceFailed() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        try (Connection connection = TestDatabase.connect()) {
            String oldestDaily = (String) SqlRows.value(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + DAILY + "') LIMIT 1");
            SqlRows.execute(connection, "CREATE VIEW " + SCHEMA + ".keeps_oldest_daily AS SELECT * FROM " + oldestDaily);
            String failure = null;
            for (String table : List.of(DAILY, SCHEMA + ".statistics_monthly_users", YEARLY)) {
                try {
                    SqlRows.execute(connection, "SELECT partman.run_maintenance('" + table + "')");
                } catch (SQLException e) {
                    failure = failure == null ? e.getMessage() : failure;
                }
            }
            Map<String, Object> daily = health(connection, DAILY);
            if (TestDatabase.partmanVersion().atLeast(5, 5)) {
                assertNull(failure);
                recordRun(connection, "succeeded", "SELECT", "now() - interval '1 minute'");
                assertNull(daily.get("maintenance_last_run"));
                assertEquals(Boolean.TRUE, daily.get("maintenance_failed"));
                assertEquals(List.of(MAINTENANCE_INCOMPLETE), problems(daily));
                assertEquals(Boolean.FALSE, daily.get("healthy"));
                assertEquals(Boolean.FALSE, health(connection, YEARLY).get("maintenance_failed"));
                assertEquals(Boolean.TRUE, health(connection, YEARLY).get("healthy"));
            } else {
                assertNotNull(failure);
                assertTrue(failure.contains("depend"), failure);
                recordRun(connection, "failed", failure, "now() - interval '1 minute'");
                daily = health(connection, DAILY);
                assertEquals("failed", daily.get("last_maintenance_status"));
                // Here the other tables' maintenance ran on its own; pg_partman 5.1+ recorded it, and not the failed one.
                List<String> expected = new ArrayList<>(List.of("the last run of job " + JOB + " failed: " + failure));
                if (TestDatabase.partmanVersion().atLeast(5, 1)) {
                    expected.add(MAINTENANCE_INCOMPLETE);
                }
                assertEquals(expected, problems(daily));
                assertEquals(Boolean.FALSE, daily.get("healthy"));
            }
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = '" + oldestDaily + "'::regclass"));
        }
    }

    /**
     * Maintenance that has not run within two scheduled intervals (partman.pack.maintenance.interval).
     * pg_partman 5.1+ records each table's last maintenance; on 4.7 and 5.0 the view has only the
     * job's last successful run, which it can read only in the cron database.
     */
    @Test
    void reportsMaintenanceThatHasNotRunForTwoIntervals() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        try (Connection connection = TestDatabase.connect()) {
            if (TestDatabase.partmanVersion().atLeast(5, 1)) {
                SqlRows.execute(connection, "UPDATE partman.part_config SET maintenance_last_run = now() - interval '3 hours' "
                        + "WHERE parent_table LIKE '" + SCHEMA + ".%'");
                assertEquals(Boolean.TRUE, health(connection, DAILY).get("maintenance_overdue"));
                SqlRows.execute(connection, "UPDATE partman.part_config SET maintenance_last_run = now() - interval '90 minutes' "
                        + "WHERE parent_table LIKE '" + SCHEMA + ".%'");
                assertEquals(Boolean.FALSE, health(connection, DAILY).get("maintenance_overdue"));
                SqlRows.execute(connection, "UPDATE partman.part_config SET maintenance_last_run = now() - interval '3 hours' "
                        + "WHERE parent_table LIKE '" + SCHEMA + ".%'");
            } else {
                assertNull(health(connection, DAILY).get("maintenance_overdue"));
                recordRun(connection, "succeeded", "CALL", "now() - interval '90 minutes'");
                assertEquals(Boolean.FALSE, health(connection, DAILY).get("maintenance_overdue"));
                SqlRows.execute(connection, "DELETE FROM cron.job_run_details WHERE jobid IN (SELECT jobid FROM cron.job WHERE jobname = '"
                        + JOB + "')");
                recordRun(connection, "succeeded", "CALL", "now() - interval '3 hours'");
            }
            Map<String, Object> daily = health(connection, DAILY);
            assertEquals(Boolean.TRUE, daily.get("maintenance_overdue"));
            assertTrue(problems(daily).get(0).endsWith("longer ago than twice 1 hour"), daily::toString);
            assertEquals(Boolean.FALSE, daily.get("healthy"));
        }
    }

    /**
     * What the pack's procedure partman_maintenance records: a table a report keeps from its locks
     * is deferred, and reported once that has lasted two intervals (three hours written into its
     * record here, rather than waited for); an error that is not a lock is reported at once.
     */
    @Test
    void reportsATableDeferredForTwoIntervalsAndAnErrorAtOnce() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        String maintainDaily = "CALL " + SCHEMA + ".partman_maintenance(p_lock_timeout => '100ms', p_retry_for => '0 seconds', "
                + "p_parent_table => '" + DAILY + "')";
        try (Connection connection = TestDatabase.connect(); Connection report = TestDatabase.connect()) {
            report.setAutoCommit(false);
            SqlRows.value(report, "SELECT count(*) FROM " + DAILY);
            SqlRows.execute(connection, maintainDaily);
            Map<String, Object> daily = health(connection, DAILY);
            assertEquals(1, daily.get("maintenance_deferrals"));
            assertEquals(Boolean.TRUE, daily.get("healthy"), "one deferral is no problem yet");
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".partman_maintenance_state SET deferred_since = deferred_since - interval '3 hours'");
            daily = health(connection, DAILY);
            assertEquals(Boolean.TRUE, daily.get("maintenance_overdue"));
            assertEquals(List.of("maintenance last completed never, longer ago than twice 1 hour; deferred by locks 1 times since"),
                    problems(daily));
            assertEquals(Boolean.FALSE, daily.get("healthy"));
            assertEquals(Boolean.TRUE, health(connection, YEARLY).get("healthy"));
            report.rollback();

            String oldestDaily = (String) SqlRows.value(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + DAILY + "') LIMIT 1");
            SqlRows.execute(connection, "CREATE VIEW " + SCHEMA + ".keeps_oldest_daily AS SELECT * FROM " + oldestDaily, maintainDaily);
            daily = health(connection, DAILY);
            assertNotNull(daily.get("maintenance_error"));
            assertTrue(problems(daily).stream().anyMatch(problem -> problem.startsWith("maintenance failed at ")), daily::toString);

            SqlRows.execute(connection, "DROP VIEW " + SCHEMA + ".keeps_oldest_daily", maintainDaily);
            daily = health(connection, DAILY);
            assertNotNull(daily.get("maintenance_completed_at"));
            assertEquals(Boolean.FALSE, daily.get("maintenance_overdue"));
            assertEquals(Boolean.TRUE, daily.get("healthy"), daily::toString);
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

    private static List<String> problems(Map<String, Object> health) throws SQLException {
        return List.of((String[]) ((Array) health.get("problems")).getArray());
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
