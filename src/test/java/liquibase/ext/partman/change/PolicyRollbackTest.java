package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** update → rollback → update with data in the table, and exact restores of policy values. */
class PolicyRollbackTest extends OwnSchemaTest {

    private static final String SCHEMA = "policy_rollback";
    private static final String PARENT = "'policy_rollback.events'";

    private static final String TABLE = """
              <changeSet id="table" author="test">
                <sql>CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text) PARTITION BY RANGE (at)</sql>
                <rollback>DROP TABLE events</rollback>
              </changeSet>
            """;
    private static final String REGISTER = """
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month"
                    premake="2" startPartition="2024-01-01"/>
              </changeSet>
            """;
    private static final String DATA = """
              <changeSet id="data" author="test">
                <sql>INSERT INTO events SELECT g, DATE '2024-01-01' + (g % 600), 'row ' || g FROM generate_series(1, 3000) g</sql>
                <rollback/>
              </changeSet>
            """;

    PolicyRollbackTest() {
        super(SCHEMA);
    }

    @Test
    void createPartmanParentRollbackUnregistersAndKeepsEveryRow() throws Exception {
        LiquibaseRun run = run(TABLE + REGISTER + DATA);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            String before = SqlRows.fingerprint(connection, "policy_rollback.events");
            long children = children(connection);
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = " + PARENT));

            run.rollbackCount(2); // the data changeset (empty rollback) and the registration
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = " + PARENT));
            assertNull(SqlRows.value(connection, "SELECT to_regclass('partman.template_policy_rollback_events')"));
            assertEquals(children, children(connection));
            assertEquals(before, SqlRows.fingerprint(connection, "policy_rollback.events"));

            run.update();
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = " + PARENT));
            assertEquals(children, children(connection));
            assertEquals(SqlRows.count(connection, "SELECT count(*) FROM policy_rollback.events"), 6000);
        }
    }

    @Test
    void successiveRetentionChangesRollBackOneAtATime() throws Exception {
        String changes = TABLE + REGISTER + DATA + """
                  <changeSet id="retention-1" author="test">
                    <partman:setRetention tableName="events" retention="24 months" retentionKeepTable="true"/>
                  </changeSet>
                  <changeSet id="retention-2" author="test">
                    <partman:setRetention tableName="events" retention="12 months" retentionKeepTable="false" retentionKeepIndex="false"/>
                  </changeSet>
                  <changeSet id="retention-3" author="test">
                    <partman:setRetention tableName="events" retention="none"/>
                  </changeSet>
                """;
        LiquibaseRun run = run(changes);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            String rows = SqlRows.fingerprint(connection, "policy_rollback.events");
            assertEquals(List.of("null", "false", "false"), retention(connection));
            run.rollbackCount(1);
            assertEquals(List.of("12 months", "false", "false"), retention(connection));
            run.rollbackCount(1);
            assertEquals(List.of("24 months", "true", "true"), retention(connection));
            run.rollbackCount(1);
            assertEquals(List.of("null", "true", "true"), retention(connection), "pg_partman's defaults, NULL included");
            run.update();
            assertEquals(List.of("null", "false", "false"), retention(connection));
            assertEquals(rows.replaceFirst(":.*", ""), SqlRows.fingerprint(connection, "policy_rollback.events").replaceFirst(":.*", ""));
        }
    }

    @Test
    void setPartmanConfigRestoresEveryColumnItChanged() throws Exception {
        String changes = TABLE + REGISTER + DATA + """
                  <changeSet id="config-1" author="test">
                    <partman:setPartmanConfig tableName="events" premake="5" infiniteTimePartitions="true"
                        automaticMaintenance="false" optimizeConstraint="10" constraintCols="id"/>
                  </changeSet>
                  <changeSet id="config-2" author="test">
                    <partman:setPartmanConfig tableName="events" premake="7" constraintCols="id,payload"
                        inheritPrivileges="true" ignoreDefaultData="false" constraintValid="false" jobmon="false"/>
                  </changeSet>
                """;
        LiquibaseRun run = run(changes);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            String rows = SqlRows.fingerprint(connection, "policy_rollback.events");
            assertEquals(Map.of("premake", 7, "infinite", true, "maintenance", "off", "optimize", 10, "cols", "{id,payload}"),
                    config(connection));
            run.rollbackCount(1);
            assertEquals(Map.of("premake", 5, "infinite", true, "maintenance", "off", "optimize", 10, "cols", "{id}"),
                    config(connection));
            run.rollbackCount(1);
            Map<String, Object> original = config(connection);
            assertEquals(2, original.get("premake"));
            assertEquals(false, original.get("infinite"));
            assertEquals("on", original.get("maintenance"));
            assertEquals("null", original.get("cols"));
            run.update();
            assertEquals(7, config(connection).get("premake"));
            assertEquals(rows, SqlRows.fingerprint(connection, "policy_rollback.events"), "no row lost or added");
        }
    }

    @Test
    void rollbackSqlRestoresTheSameValues() throws Exception {
        String changes = TABLE + REGISTER + """
                  <changeSet id="retention-1" author="test">
                    <partman:setRetention tableName="events" retention="24 months"/>
                  </changeSet>
                """;
        LiquibaseRun run = run(changes);
        run.update();
        String script = run.rollbackCountSql(1);
        assertTrue(script.contains("jsonb_populate_record"), script);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "SET search_path = " + SCHEMA, script.replaceAll("(?m)^(UPDATE|DELETE FROM) " + SCHEMA
                    + "\\.databasechangelog.*$", ""));
            assertEquals(List.of("null", "true", "true"), retention(connection));
        }
    }

    private static long children(Connection connection) throws Exception {
        return SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'policy_rollback.events'::regclass");
    }

    private static List<String> retention(Connection connection) throws Exception {
        Map<String, Object> row = SqlRows.query(connection, "SELECT retention::text AS retention, retention_keep_table::text AS keep_table, "
                + "retention_keep_index::text AS keep_index FROM partman.part_config WHERE parent_table = " + PARENT).get(0);
        return row.values().stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> config(Connection connection) throws Exception {
        Map<String, Object> row = SqlRows.query(connection, "SELECT premake, infinite_time_partitions AS infinite, "
                + "automatic_maintenance AS maintenance, optimize_constraint AS optimize, coalesce(constraint_cols::text, 'null') AS cols "
                + "FROM partman.part_config WHERE parent_table = " + PARENT).get(0);
        return Map.copyOf(row);
    }
}
