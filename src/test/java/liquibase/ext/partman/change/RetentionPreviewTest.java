package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** A retention change says which partitions the next maintenance removes, and can refuse to. */
class RetentionPreviewTest extends OwnSchemaTest {

    private static final String SCHEMA = "retention_preview";
    private static final String TABLE = """
              <changeSet id="table" author="test">
                <sql>CREATE TABLE metrics (at date NOT NULL, value int) PARTITION BY RANGE (at)</sql>
              </changeSet>
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="metrics" controlColumn="at" interval="1 month" premake="2"
                    startPartition="2024-01-01"/>
              </changeSet>
              <changeSet id="data" author="test">
                <sql>INSERT INTO metrics SELECT d, 1 FROM generate_series(DATE '2024-01-01', current_date, interval '1 day') d</sql>
              </changeSet>
            """;
    private static final String CHILDREN_OLDER_THAN_SIX_MONTHS = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = 'retention_preview.metrics'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' "
            + "AND (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::date < now() - interval '6 months' "
            + "ORDER BY 1";

    private static String retention(String attributes) {
        return "<changeSet id=\"retention\" author=\"test\"><partman:setRetention tableName=\"metrics\" retention=\"6 months\" "
                + "retentionKeepTable=\"false\" " + attributes + "/></changeSet>";
    }

    RetentionPreviewTest() {
        super(SCHEMA);
    }

    @Test
    void listsWhatTheNextMaintenanceDropsAndMaintenanceDropsExactlyThat() throws Exception {
        run(TABLE).update();
        LiquibaseRun run = run(TABLE + retention(""));
        try (Connection connection = TestDatabase.connect()) {
            List<String> expected = SqlRows.strings(connection, CHILDREN_OLDER_THAN_SIX_MONTHS);
            assertTrue(expected.size() >= 10, expected::toString);

            String script = run.updateSql();
            assertTrue(script.contains("-- retention 6 months: the next maintenance drops or detaches " + expected.size()
                    + " partition(s) of retention_preview.metrics:"), script);
            for (String child : expected) {
                assertTrue(script.contains("--   retention_preview." + child + " ["), child + " missing from\n" + script);
            }

            String doBlock = script.substring(script.indexOf("DO $partman$"), script.indexOf("$partman$;", script.indexOf("DO $partman$")) + 9);
            try (Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("SET search_path = " + SCHEMA);
                statement.execute(doBlock.replace("'setRetention::", "'preview::"));
                StringBuilder notices = new StringBuilder();
                for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                    notices.append(warning.getMessage()).append('\n');
                }
                assertTrue(notices.toString().contains("the next maintenance will drop " + expected.size()
                        + " partition(s) of retention_preview.metrics"), notices::toString);
                connection.rollback();
                connection.setAutoCommit(true);
            }

            run.update();
            SqlRows.execute(connection, "SELECT partman.run_maintenance('retention_preview.metrics')");
            assertEquals(List.of(), SqlRows.strings(connection, CHILDREN_OLDER_THAN_SIX_MONTHS));
            assertTrue(SqlRows.count(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'retention_preview' "
                    + "AND tablename = ANY(ARRAY['" + String.join("','", expected) + "'])") == 0, "dropped, not detached");
        }
    }

    @Test
    void maxPartitionsDroppedMakesTheChangesetFailInstead() throws Exception {
        run(TABLE).update();
        LiquibaseRun run = run(TABLE + retention("maxPartitionsDropped=\"2\""));
        Exception failure = assertThrows(Exception.class, run::update);
        String messages = Failures.messages(failure);
        assertTrue(messages.contains("more than maxPartitionsDropped (2)"), () -> messages);
        try (Connection connection = TestDatabase.connect()) {
            assertNull(SqlRows.value(connection, "SELECT retention FROM partman.part_config WHERE parent_table = 'retention_preview.metrics'"),
                    "nothing half-applied");
        }
    }
}
