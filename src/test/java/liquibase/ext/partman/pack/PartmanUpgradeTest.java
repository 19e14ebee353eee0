package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.PartmanDependencies;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * Issue 25: pg_partman's own update ({@code ALTER EXTENSION pg_partman UPDATE}) with the pack in place
 * and rows in a DEFAULT, then what the pack promises afterwards. Each upgrade the bed's extension
 * folder offers (scripts/testdb adds the update scripts 4.7.2 to 5.2.4 on pg15, 5.2.4 to 5.5.0 on
 * pg17 and pg18), in a database of its own, since the other tests share the test database's pg_partman.
 */
class PartmanUpgradeTest {

    private static final String DATABASE = "partman_upgrade";
    private static final String SCHEMA = "upgrade";
    private static final String DAILY = SCHEMA + ".statistics_daily_users";
    /** The upgrades of issue 25, taken where the bed has the scripts of both versions. */
    private static final List<List<String>> UPGRADES = List.of(
            List.of("4.7.2", "5.1.0"), List.of("4.7.2", "5.2.4"), List.of("5.2.4", "5.5.0"));
    private static final String MONTHLY = SCHEMA + ".statistics_monthly_users";
    /** The policy columns the own policy change sets, as one text. */
    private static final String MONTHLY_POLICY = "SELECT concat_ws(', ', retention, retention_keep_table, retention_keep_index, "
            + "retention_schema, premake, jobmon) FROM partman.part_config WHERE parent_table = '" + MONTHLY + "'";
    /** The two own changesets, the health view's four, the maintenance job and the three policies. */
    private static final int POLICIES_ON = 10;
    /** Applied before the upgrade, rolled back after it. */
    private static final String POLICY_CHANGE = """
              <changeSet id="monthly-policy-change" author="upgrade-test">
                <partman:setRetention schemaName="%1$s" tableName="statistics_monthly_users" retention="9 years" retentionKeepTable="true"/>
                <partman:setPartmanConfig schemaName="%1$s" tableName="statistics_monthly_users" premake="3" jobmon="false"/>
              </changeSet>
            """.formatted(SCHEMA);
    private static final String UPGRADE = """
              <changeSet id="upgrade-partman" author="upgrade-test" runInTransaction="false">
                <partman:upgradePartman version="%s"/>
              </changeSet>
            """;
    private static final String REPARTITION = """
              <changeSet id="daily-repartition" author="upgrade-test" runInTransaction="false">
                <partman:repartitionDefault schemaName="%s" tableName="statistics_daily_users"/>
              </changeSet>
            """.formatted(SCHEMA);

    /** Each upgrade this bed can run, by pg_partman's own ALTER EXTENSION and by upgradePartman. */
    static Stream<Arguments> upgrades() throws SQLException {
        return offeredUpgrades().stream().flatMap(upgrade -> Stream.of(Arguments.of(upgrade, false), Arguments.of(upgrade, true)));
    }

    /** The upgrades this bed can run: both versions installable, and an update path between them. */
    static List<List<String>> offeredUpgrades() throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            List<List<String>> offered = UPGRADES.stream().filter(upgrade -> {
                try {
                    return SqlRows.exists(connection, "SELECT 1 FROM pg_extension_update_paths('pg_partman') "
                            + "WHERE source = '" + upgrade.get(0) + "' AND target = '" + upgrade.get(1) + "' AND path IS NOT NULL "
                            + "AND EXISTS (SELECT 1 FROM pg_available_extension_versions "
                            + "WHERE name = 'pg_partman' AND version = '" + upgrade.get(0) + "')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            if (offered.isEmpty()) {
                throw new IllegalStateException("this bed offers none of the upgrades " + UPGRADES
                        + ": start it with scripts/testdb, which installs their update scripts");
            }
            return offered;
        }
    }

    @ParameterizedTest(name = "{0}, upgradePartman: {1}")
    @MethodSource("upgrades")
    void thePackNeitherBlocksTheUpgradeNorBreaksAfterIt(List<String> upgrade, boolean byUpgradePartman) throws Exception {
        String url = freshDatabase(upgrade.get(0));
        new PackChangeLog(SCHEMA).run().against(url, SCHEMA).update();
        String monthlyPolicy;
        try (Connection connection = DriverManager.getConnection(url)) {
            monthlyPolicy = (String) SqlRows.value(connection, MONTHLY_POLICY);
        }
        new PackChangeLog(SCHEMA).followedBy(POLICY_CHANGE).run().against(url, SCHEMA).update();
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection,
                    "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) SELECT gen_random_uuid(), current_date - d, "
                            + "gen_random_uuid() FROM generate_series(0, 40) d",
                    // Beyond the premake: a row in the DEFAULT.
                    "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) "
                            + "VALUES (gen_random_uuid(), (now() + interval '1 year')::date, gen_random_uuid())",
                    // A set of one's own with a partition named by hand: upgradePartman's check after the
                    // update warns about it, as it was so before, and goes on.
                    "CREATE TABLE " + SCHEMA + ".renamed (at date NOT NULL) PARTITION BY RANGE (at)",
                    "DO $$ BEGIN PERFORM partman.create_parent(p_parent_table := '" + SCHEMA + ".renamed', p_control := 'at', "
                            + "p_interval := '1 month', p_premake := 2, p_type := CASE WHEN (SELECT extversion FROM pg_extension "
                            + "WHERE extname = 'pg_partman') LIKE '4.%' THEN 'native' ELSE 'range' END); END $$",
                    "DO $$ BEGIN EXECUTE format('ALTER TABLE " + SCHEMA + ".%I RENAME TO renamed_by_hand', (SELECT partition_tablename "
                            + "FROM partman.show_partitions('" + SCHEMA + ".renamed') LIMIT 1)); END $$");
            PartmanDependencies.assertNone(connection);

            if (!byUpgradePartman) {
                SqlRows.execute(connection, "ALTER EXTENSION pg_partman UPDATE TO '" + upgrade.get(1) + "'");
            }
        }
        if (byUpgradePartman) {
            // A changelog of its own: its changeset has no rollback, and the ones below roll back.
            LiquibaseRun upgradePartman = LiquibaseRun.of("upgrade.xml", LiquibaseRun.xmlChangeLog(UPGRADE.formatted(upgrade.get(1))), url, SCHEMA);
            upgradePartman.update();
            String backup = "part_config_before_" + upgrade.get(1).replace('.', '_');
            String refused = Failures.messages(assertThrows(Exception.class, () -> upgradePartman.rollbackCount(1)));
            assertTrue(refused.contains("upgradePartman to " + upgrade.get(1) + " cannot be rolled back: pg_partman has no downgrade")
                    && refused.contains("\"" + SCHEMA + "\".\"" + backup + "\""), refused);
            try (Connection connection = DriverManager.getConnection(url)) {
                assertEquals(SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + "." + backup),
                        SqlRows.count(connection, "SELECT count(*) FROM partman.part_config"));
            }
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals(upgrade.get(1), SqlRows.value(connection, "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'"));

            assertEquals(1L, health(connection).get("default_rows"));
        }
        LiquibaseRun withOwn = new PackChangeLog(SCHEMA).followedBy(POLICY_CHANGE + REPARTITION).run().against(url, SCHEMA);
        withOwn.update();
        try (Connection connection = DriverManager.getConnection(url)) {
            // After the DEFAULT's row moved out: with it, maintenance fails on every version (on 5.x it
            // makes the partition for the newest row, which the DEFAULT's row is).
            SqlRows.execute(connection, "CALL partman.run_maintenance_proc()");
            Map<String, Object> daily = health(connection);
            assertEquals(0L, daily.get("default_rows"));
            assertEquals(42L, SqlRows.count(connection, "SELECT count(*) FROM " + DAILY));
            assertEquals(Boolean.TRUE, daily.get("healthy"), () -> "problems: " + daily.get("problems"));
            PartmanDependencies.assertNone(connection);
        }
        // The policy change made under the earlier version rolls back to exactly the values before it.
        withOwn.rollbackCount(2);
        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals(monthlyPolicy, SqlRows.value(connection, MONTHLY_POLICY));
        }
        withOwn.update();
        // Every changeset from the policies on, rolled back and applied again: the tables keep their
        // partitions and rows, and are registered again with them, named as before (4.7 named
        // the daily table's monthly partitions YYYY_MM; 5.x's create_parent would name them YYYYMMDD).
        List<String> children;
        Object naming;
        try (Connection connection = DriverManager.getConnection(url)) {
            children = children(connection);
            naming = SqlRows.value(connection, "SELECT datetime_string FROM partman.part_config WHERE parent_table = '" + DAILY + "'");
        }
        withOwn.rollbackCount(POLICIES_ON);
        withOwn.update();
        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals(children, children(connection));
            assertEquals(naming, SqlRows.value(connection,
                    "SELECT datetime_string FROM partman.part_config WHERE parent_table = '" + DAILY + "'"));
            assertEquals(42L, SqlRows.count(connection, "SELECT count(*) FROM " + DAILY));
            SqlRows.execute(connection, "CALL partman.run_maintenance_proc()");
            assertEquals(children, children(connection));
            assertEquals(List.of(), SqlRows.strings(connection, "SELECT parent_table || ': ' || problems::text FROM "
                    + SCHEMA + ".partman_health WHERE NOT healthy"));
            PartmanDependencies.assertNone(connection);
        }
    }

    /**
     * upgradePartman's checks, each failing before anything changes: a version whose update scripts
     * are not installed (every bed), and where the bed has pg_partman 4.7.2, a quarterly and a
     * trigger-based set and a view on part_config, named together in one message.
     */
    @Test
    void failedChecksLeaveTheDatabaseAsItWas() throws Exception {
        String url = freshDatabase(null);
        LiquibaseRun missingScripts = LiquibaseRun.of("upgrade.xml", LiquibaseRun.xmlChangeLog(UPGRADE.formatted("9.9.9")), url, SCHEMA);
        assertRefusedChangingNothing(url, missingScripts,
                List.of(" to 9.9.9 is installed on the server: install the package of pg_partman 9.9.9"));
        // A role that may read pg_partman's configuration and write the schema, but does not own pg_partman.
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'upgrade_not_owner') THEN "
                            + "CREATE ROLE upgrade_not_owner LOGIN; END IF; END $$",
                    // Testcontainers' server asks clients from outside for a password; the local cluster trusts them.
                    "ALTER ROLE upgrade_not_owner PASSWORD 'upgrade_not_owner'",
                    "GRANT USAGE ON SCHEMA partman TO upgrade_not_owner",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA partman TO upgrade_not_owner",
                    "GRANT USAGE, CREATE ON SCHEMA " + SCHEMA + " TO upgrade_not_owner",
                    "GRANT ALL ON ALL TABLES IN SCHEMA " + SCHEMA + " TO upgrade_not_owner");
        }
        String notOwnerUrl = url.replaceFirst("user=[^&]*", "user=upgrade_not_owner")
                .replaceFirst("password=[^&]*", "password=upgrade_not_owner");
        assertRefusedChangingNothing(url, missingScripts.against(notOwnerUrl, SCHEMA),
                List.of("role upgrade_not_owner may not update pg_partman: ALTER EXTENSION needs its owner, postgres, or a member of that role"));

        List<List<String>> from47 = offeredUpgrades().stream().filter(upgrade -> upgrade.get(0).equals("4.7.2")).toList();
        if (from47.isEmpty()) {
            return; // no pg_partman 4.7.2 on this bed (pg17, pg18)
        }
        url = freshDatabase("4.7.2");
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection,
                    "CREATE TABLE " + SCHEMA + ".quarterly (at timestamptz NOT NULL) PARTITION BY RANGE (at)",
                    "SELECT partman.create_parent('" + SCHEMA + ".quarterly', 'at', 'native', 'quarterly')",
                    "CREATE TABLE " + SCHEMA + ".triggered (id int NOT NULL)",
                    "SELECT partman.create_parent('" + SCHEMA + ".triggered', 'id', 'partman', '10')",
                    "CREATE VIEW " + SCHEMA + ".reads_part_config AS SELECT parent_table FROM partman.part_config");
        }
        LiquibaseRun to5 = LiquibaseRun.of("upgrade.xml", LiquibaseRun.xmlChangeLog(UPGRADE.formatted(from47.get(0).get(1))), url, SCHEMA);
        assertTrue(to5.updateSql().contains("ALTER EXTENSION pg_partman UPDATE TO %L', '5.0.1'"), "updateSQL prints the staged script");
        assertRefusedChangingNothing(url, to5, List.of(
                "trigger-based sets, which pg_partman 5 refuses to update: " + SCHEMA + ".triggered",
                SCHEMA + ".quarterly is quarterly, which pg_partman 5 does not maintain: make it again as a '3 months' set",
                "objects depending on pg_partman's objects, which the 5.0 update drops and recreates: view "
                        + SCHEMA + ".reads_part_config (depends on table column partman.part_config.parent_table)"));
    }

    private static void assertRefusedChangingNothing(String url, LiquibaseRun upgrade, List<String> problems) throws Exception {
        String before;
        try (Connection connection = DriverManager.getConnection(url)) {
            before = state(connection);
        }
        String message = Failures.messages(assertThrows(Exception.class, upgrade::update));
        assertTrue(message.contains("pg_partman not updated to "), message);
        for (String problem : problems) {
            assertTrue(message.contains(problem), () -> "missing: " + problem + "\nin: " + message);
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals(before, state(connection));
        }
    }

    /** pg_partman's version and configuration, and the tables of the pack's schema. */
    private static String state(Connection connection) throws SQLException {
        return SqlRows.strings(connection, "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman' "
                + "UNION ALL SELECT (SELECT string_agg(to_jsonb(c)::text, ',' ORDER BY parent_table) FROM partman.part_config c) "
                + "UNION ALL SELECT (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                + "WHERE relnamespace = '" + SCHEMA + "'::regnamespace AND relkind = 'r' AND relname NOT LIKE 'databasechangelog%')").toString();
    }

    /** The pack's tables' partitions (names and bounds), DEFAULTs included. */
    private static List<String> children(Connection connection) throws SQLException {
        return SqlRows.strings(connection, "SELECT k.relname || ' ' || pg_get_expr(k.relpartbound, k.oid) FROM pg_inherits i "
                + "JOIN pg_class k ON k.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                + "WHERE p.relnamespace = '" + SCHEMA + "'::regnamespace AND k.relkind IN ('r', 'p') ORDER BY 1");
    }

    private static Map<String, Object> health(Connection connection) throws SQLException {
        return SqlRows.query(connection, "SELECT default_rows, healthy, problems::text AS problems FROM " + SCHEMA
                + ".partman_health WHERE parent_table = '" + DAILY + "'").get(0);
    }

    /** A new database with pg_partman at the given version (null: the bed's default) and an empty schema for the pack. */
    private static String freshDatabase(String partmanVersion) throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        String url = TestDatabase.urlOfDatabase(DATABASE);
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "CREATE SCHEMA partman",
                    "CREATE EXTENSION pg_partman SCHEMA partman" + (partmanVersion == null ? "" : " VERSION '" + partmanVersion + "'"),
                    "CREATE SCHEMA " + SCHEMA);
        }
        return url;
    }
}
