package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import liquibase.ext.partman.support.PartmanDependencies;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * What the pack leaves in a schema when a project outside this build applies it (examples/cli,
 * examples/spring-boot): both set the daily retention to 12 months through their own way of passing
 * changelog parameters, and get the schema's inactive job from the test.
 */
final class AppliedPack {

    private AppliedPack() {
    }

    static void assertApplied(String schema) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(List.of(
                    Map.of("parent_table", schema + ".statistics_daily_users", "retention", "12 months"),
                    Map.of("parent_table", schema + ".statistics_monthly_users", "retention", "3 years"),
                    Map.of("parent_table", schema + ".statistics_yearly_users", "retention", "5 years")),
                    SqlRows.query(connection, "SELECT parent_table, retention FROM partman.part_config "
                            + "WHERE parent_table LIKE '" + schema + ".%' ORDER BY parent_table"));
            assertEquals(List.of(Map.of("command", "CALL \"" + schema + "\".\"partman_maintenance\"(p_lock_timeout => '200ms', "
                    + "p_retry_for => '5 minutes')", "active", false)),
                    SqlRows.query(connection, "SELECT command, active FROM cron.job WHERE jobname = '"
                            + PackChangeLog.jobName(schema) + "'"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_views WHERE schemaname = '" + schema
                    + "' AND viewname = 'partman_health'"));
            // Each changeset once, written by the Liquibase the project runs (not the one of this build's classpath).
            assertEquals(Map.of("changesets", (long) PackChangeLog.CHANGE_SETS, "distinct", (long) PackChangeLog.CHANGE_SETS,
                            "liquibase", "4.33.0"),
                    SqlRows.query(connection, "SELECT count(*) AS changesets, count(DISTINCT (id, author, filename)) AS distinct, "
                            + "string_agg(DISTINCT liquibase, ',') AS liquibase FROM " + schema + ".databasechangelog").get(0));
            PartmanDependencies.assertNone(connection);
        }
    }

    static void assertRolledBack(String schema) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE '" + schema + ".%'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname = '" + PackChangeLog.jobName(schema) + "'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + schema + "'::regnamespace "
                    + "AND relname IN ('statistics_daily_users', 'statistics_monthly_users', 'statistics_yearly_users', 'partman_health', "
                    + "'partman_health_2', 'partman_maintenance_state')"));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM " + schema + ".databasechangelog"));
        }
    }
}
