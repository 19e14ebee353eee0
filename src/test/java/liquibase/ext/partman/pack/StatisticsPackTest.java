package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** The pack included from a user's changelog: what it creates, its parameters, its rollback. */
class StatisticsPackTest {

    private static final String SCHEMA = "pack_main";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void createsTheGuideSetUpWithTheDefaultPolicies() throws Exception {
        new PackChangeLog(SCHEMA).run().update();
        try (Connection connection = TestDatabase.connect()) {
            List<Map<String, Object>> policies = SqlRows.query(connection, "SELECT parent_table, control, "
                    + "partition_interval::interval::text AS interval, premake, retention::interval::text AS retention, "
                    + "retention_keep_table, retention_keep_index, infinite_time_partitions "
                    + "FROM partman.part_config WHERE parent_table LIKE 'pack_main.%' ORDER BY parent_table");
            assertEquals(List.of(
                    policy("pack_main.statistics_daily_users", "stat_date", "1 mon", 3, "6 mons"),
                    policy("pack_main.statistics_monthly_users", "stat_month", "1 year", 2, "3 years"),
                    policy("pack_main.statistics_yearly_users", "stat_year", "1 year", 2, "5 years")), policies);
            for (String table : PackChangeLog.TABLES) {
                assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'pack_main." + table + "'::regclass "
                        + "AND pg_get_expr(c.relpartbound, c.oid) LIKE 'FOR VALUES FROM (''2024-01-01'')%'"), table);
            }
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_indexes WHERE schemaname = 'pack_main' "
                    + "AND tablename = 'statistics_daily_users' AND indexname = 'idx_daily_users_tenant_date'"));
            assertEquals(Map.of("schedule", "0 * * * *", "command",
                    "CALL \"pack_main\".\"partman_maintenance\"(p_lock_timeout => '200ms', p_retry_for => '5 minutes')", "active", false),
                    SqlRows.query(connection, "SELECT schedule, command, active FROM cron.job WHERE jobname = 'pack_main-maintenance'").get(0));
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM pack_main.partman_health "
                    + "WHERE parent_table LIKE 'pack_main.%' AND healthy"));
        }
    }

    /**
     * maintenance-job-2 moves the pack's job to partman_maintenance; rolling back the pack's
     * changesets after maintenance-job puts the job back exactly as maintenance-job made it, and
     * removes the procedure, its table and the view; updating again brings them back.
     */
    @Test
    void theJobMovesToTheBoundedProcedureAndRollbackRestoresIt() throws Exception {
        LiquibaseRun run = new PackChangeLog(SCHEMA).run();
        String job = "SELECT schedule, command, active, database, username FROM cron.job WHERE jobname = 'pack_main-maintenance'";
        for (int round = 0; round < 2; round++) {
            run.update();
            try (Connection connection = TestDatabase.connect()) {
                assertEquals("CALL \"pack_main\".\"partman_maintenance\"(p_lock_timeout => '200ms', p_retry_for => '5 minutes')",
                        SqlRows.query(connection, job).get(0).get("command"));
                SqlRows.execute(connection, "CALL pack_main.partman_maintenance(p_parent_table => 'pack_main.statistics_daily_users')");
                assertEquals(1L, SqlRows.count(connection, "SELECT count(*) FROM pack_main.partman_health "
                        + "WHERE maintenance_completed_at IS NOT NULL AND healthy"));
            }
            // health-view-3, health-view-via-function, health-config-function, health-view-2, -1, maintenance-procedure-2,
            // maintenance-job-2, maintenance-procedure
            run.rollbackCount(8);
            try (Connection connection = TestDatabase.connect()) {
                assertEquals(Map.of("schedule", "0 * * * *", "command", "CALL partman.run_maintenance_proc()", "active", false,
                        "database", "partman_test", "username", "postgres"), SqlRows.query(connection, job).get(0));
                assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = 'pack_main'::regnamespace "
                        + "AND relname IN ('partman_maintenance_state', 'partman_health', 'partman_health_2')"));
                assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_proc WHERE pronamespace = 'pack_main'::regnamespace"));
            }
        }
    }

    private static Map<String, Object> policy(String table, String control, String interval, int premake, String retention) {
        return Map.of("parent_table", table, "control", control, "interval", interval, "premake", premake,
                "retention", retention, "retention_keep_table", false, "retention_keep_index", false,
                "infinite_time_partitions", true);
    }

    @Test
    void parametersOverrideTheDefaults() throws Exception {
        new PackChangeLog(SCHEMA)
                .with("partman.pack.startPartition", "2025-01-01")
                .with("partman.pack.daily.premake", "5")
                .with("partman.pack.daily.retention", "12 months")
                .with("partman.pack.maintenance.schedule", "0 2 * * *")
                .run().update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(Map.of("premake", 5, "retention", "1 year"), SqlRows.query(connection,
                    "SELECT premake, retention::interval::text AS retention FROM partman.part_config "
                            + "WHERE parent_table = 'pack_main.statistics_daily_users'").get(0));
            assertEquals("2025-01-01", SqlRows.value(connection, "SELECT min(substring(pg_get_expr(c.relpartbound, c.oid) "
                    + "FROM 'FROM \\(''([^'']*)''')) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'pack_main.statistics_yearly_users'::regclass"));
            assertEquals("0 2 * * *", SqlRows.value(connection, "SELECT schedule FROM cron.job WHERE jobname = 'pack_main-maintenance'"));
        }
    }

    /** README, "Rolling back a policy change": the user's own changeset on top of the pack, undone. */
    @Test
    void aLaterPolicyChangeRollsBackToThePacksValues() throws Exception {
        String policy = "SELECT premake, retention, retention_keep_table FROM partman.part_config "
                + "WHERE parent_table = 'pack_main.statistics_daily_users'";
        LiquibaseRun run = new PackChangeLog(SCHEMA).followedBy("""
                  <changeSet id="daily-users-keep-a-year" author="you">
                    <partman:setRetention schemaName="pack_main" tableName="statistics_daily_users" retention="12 months"
                        retentionKeepTable="true"/>
                    <partman:setPartmanConfig schemaName="pack_main" tableName="statistics_daily_users" premake="6"/>
                  </changeSet>
                """).run();
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(Map.of("premake", 6, "retention", "12 months", "retention_keep_table", true),
                    SqlRows.query(connection, policy).get(0));
        }
        run.rollbackCount(1);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(Map.of("premake", 3, "retention", "6 months", "retention_keep_table", false),
                    SqlRows.query(connection, policy).get(0));
        }
    }

    @Test
    void updateTestingRollbackPassesOnTheWholePack() throws Exception {
        LiquibaseRun run = new PackChangeLog(SCHEMA).run();
        run.updateTestingRollback();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE 'pack_main.%'"));
        }
        run.rollbackCount(PackChangeLog.CHANGE_SETS);
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_tables WHERE schemaname = 'pack_main' AND tablename LIKE 'statistics%'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_views WHERE schemaname = 'pack_main'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE 'pack_main.%'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname = 'pack_main-maintenance'"));
            // The extensions stay: dropping them would take every other table's policy and job along.
            assertEquals(2, SqlRows.count(connection, "SELECT count(*) FROM pg_extension WHERE extname IN ('pg_cron', 'pg_partman')"));
        }
    }

    @Test
    void rollbackKeepsATableThatHoldsRows() throws Exception {
        LiquibaseRun run = new PackChangeLog(SCHEMA).run();
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO pack_main.statistics_yearly_users (tenant_id, stat_year, user_id) "
                    + "VALUES (gen_random_uuid(), date_trunc('year', now())::date, gen_random_uuid())");
        }
        Exception failure = assertThrows(Exception.class, () -> run.rollbackCount(PackChangeLog.CHANGE_SETS));
        assertTrue(fullMessage(failure).contains("statistics_yearly_users holds rows"), () -> fullMessage(failure));
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(1, SqlRows.count(connection, "SELECT count(*) FROM pack_main.statistics_yearly_users"));
        }
    }

    static String fullMessage(Throwable failure) {
        StringBuilder message = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            message.append(cause.getMessage()).append('\n');
        }
        return message.toString();
    }
}
