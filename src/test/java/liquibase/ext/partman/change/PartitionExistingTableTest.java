package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable on a real server: a plain table with rows over many months becomes a
 * pg_partman-managed partitioned table of the same name, with what the table had; the rollback
 * brings the plain table back with every row, those written after the conversion included; what it
 * does not carry over is refused before anything is done. Triggers and row-level security:
 * {@link PartitionExistingTableTriggersTest}.
 */
class PartitionExistingTableTest extends OwnSchemaTest {

    static final String SCHEMA = "convert_test";
    static final String EVENTS = SCHEMA + ".events";

    PartitionExistingTableTest() {
        super(SCHEMA);
    }

    /** The plain table: a serial key, a comment, a check, an index, a grant; rows over 14 months before today. */
    static String plainTable(int rows) {
        return """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE kinds (kind int PRIMARY KEY)</sql>
                    <sql>INSERT INTO kinds VALUES (1), (2)</sql>
                    <sql>CREATE TABLE events (id bigserial, created date NOT NULL DEFAULT current_date,
                           payload text CHECK (payload &lt;&gt; ''), amount numeric(10,2), kind int REFERENCES kinds,
                           PRIMARY KEY (id, created))</sql>
                    <sql>CREATE INDEX events_payload ON events (payload)</sql>
                    <sql>COMMENT ON TABLE events IS 'the events'</sql>
                    <sql>COMMENT ON COLUMN events.payload IS 'what happened'</sql>
                    <sql>INSERT INTO events (created, payload, amount)
                           SELECT current_date - (g %% 420), 'row ' || g, g / 100.0 FROM generate_series(1, %d) g</sql>
                  </changeSet>
                """.formatted(rows);
    }

    static String convert(String attributes) {
        return """
                  <changeSet id="convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month" %s/>
                  </changeSet>
                """.formatted(attributes);
    }

    @Test
    void aPlainTableBecomesAManagedPartitionedTableAndComesBack() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP ROLE IF EXISTS convert_reader", "CREATE ROLE convert_reader");
            run(plainTable(5000)).update();
            SqlRows.execute(connection, "GRANT SELECT ON " + EVENTS + " TO convert_reader",
                    "GRANT UPDATE (payload) ON " + EVENTS + " TO convert_reader");
            String before = SqlRows.fingerprint(connection, EVENTS);

            run(plainTable(5000) + convert("premake=\"2\" batchSize=\"700\"")).update();

            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"), "no row in the DEFAULT");
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = '" + EVENTS
                    + "' AND automatic_maintenance = 'on'"), "registered under its own name, maintained");
            // Every month from the oldest row to premake ahead, named as pg_partman names them.
            List<String> expected = SqlRows.strings(connection, "SELECT partition_tablename FROM partman.show_partitions('" + EVENTS + "')");
            assertEquals(17, expected.size(), expected.toString());
            for (String child : expected) {
                assertEquals(child, SqlRows.value(connection, "SELECT partition_table FROM partman.show_partition_name('" + EVENTS + "', "
                        + "(SELECT child_start_time::text FROM partman.show_partition_info('" + SCHEMA + "." + child + "', p_parent_table := '"
                        + EVENTS + "')))"));
            }
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_indexes WHERE schemaname = '" + SCHEMA + "' AND indexname = 'events_pkey' "
                    + "AND tablename = 'events'"), "the primary key keeps its name");
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_indexes WHERE schemaname = '" + SCHEMA + "' AND indexname = 'events_payload' "
                    + "AND tablename = 'events'"), "the index keeps its name");
            assertEquals("the events", SqlRows.value(connection, "SELECT obj_description('" + EVENTS + "'::regclass, 'pg_class')"));
            assertEquals("what happened", SqlRows.value(connection, "SELECT col_description('" + EVENTS + "'::regclass, 3)"));
            assertTrue(SqlRows.exists(connection, "SELECT has_table_privilege('convert_reader', '" + EVENTS + "', 'SELECT') "
                    + "AND has_column_privilege('convert_reader', '" + EVENTS + "', 'payload', 'UPDATE') "
                    + "AND NOT has_column_privilege('convert_reader', '" + EVENTS + "', 'amount', 'UPDATE')"), "grants");
            assertEquals(EVENTS + ".id", SqlRows.value(connection, "SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d "
                    + "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                    + "WHERE d.objid = '" + SCHEMA + ".events_id_seq'::regclass AND d.deptype = 'a'"), "the sequence belongs to the new table");
            Exception refused = assertThrows(Exception.class, () -> SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (payload) VALUES ('')"));
            assertTrue(refused.getMessage().contains("check"), refused.getMessage());
            refused = assertThrows(Exception.class, () -> SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (payload, kind) VALUES ('x', 3)"));
            assertTrue(refused.getMessage().contains("events_kind_fkey"), "its foreign key: " + refused.getMessage());

            // Maintenance makes the next partitions as for any set; writes after the conversion, into those too and in
            // replica mode, reach the kept plain table.
            SqlRows.execute(connection, "UPDATE partman.part_config SET premake = 5 WHERE parent_table = '" + EVENTS + "'",
                    "SELECT partman.run_maintenance(p_parent_table := '" + EVENTS + "')");
            assertEquals(20L, SqlRows.count(connection, "SELECT count(*) FROM partman.show_partitions('" + EVENTS + "')"));
            SqlRows.execute(connection, "SET session_replication_role = replica",
                    "INSERT INTO " + EVENTS + " (created, payload) VALUES (current_date + 130, 'replica, in a partition maintenance made')",
                    "RESET session_replication_role");
            SqlRows.execute(connection,
                    "INSERT INTO " + EVENTS + " (payload) VALUES ('after')",
                    "UPDATE " + EVENTS + " SET payload = 'changed', created = created - 40 WHERE id % 7 = 0",
                    "DELETE FROM " + EVENTS + " WHERE id % 11 = 0");
            String after = SqlRows.fingerprint(connection, EVENTS);
            assertEquals(after, SqlRows.fingerprint(connection, SCHEMA + ".events_partman_old"));

            run(plainTable(5000) + convert("premake=\"2\" batchSize=\"700\"")).rollbackCount(1);

            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(after, SqlRows.fingerprint(connection, EVENTS));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE '" + SCHEMA + ".%'"));
            assertEquals(List.of("events", "events_id_seq", "kinds"), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '"
                    + SCHEMA + "'::regnamespace AND relkind IN ('r', 'p', 'S', 'v') AND relname NOT LIKE 'databasechangelog%' ORDER BY 1"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_indexes WHERE schemaname = '" + SCHEMA + "' AND indexname = 'events_pkey'"));
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (payload) VALUES ('plain again')");
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + EVENTS + " WHERE payload = 'plain again' AND id > 5000"));

            run(plainTable(5000) + convert("premake=\"2\" batchSize=\"700\"")).update();
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            SqlRows.execute(connection, "DROP OWNED BY convert_reader", "DROP ROLE convert_reader");
        }
    }

    /**
     * Partitioned by its identity column (GENERATED ALWAYS), 1000 ids a partition: partitions up to the
     * highest id, the identity going on where it was, and the rollback giving it back.
     */
    @Test
    void anIdentityKeyedTableIsPartitionedByItsIds() throws Exception {
        String table = """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)</sql>
                    <sql>INSERT INTO events (payload) SELECT 'row ' || g FROM generate_series(1, 4500) g</sql>
                  </changeSet>
                """;
        String convert = """
                  <changeSet id="convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="events" controlColumn="id" interval="1000" premake="1" batchSize="1000"/>
                  </changeSet>
                """;
        run(table + convert).update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            assertEquals(4500L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
            assertTrue(SqlRows.count(connection, "SELECT count(*) FROM partman.show_partitions('" + EVENTS + "')") >= 5);
            assertEquals(4501L, SqlRows.count(connection, "INSERT INTO " + EVENTS + " (payload) VALUES ('next') RETURNING id"));
            assertEquals(SCHEMA + ".events_id_seq", SqlRows.value(connection, "SELECT pg_get_serial_sequence('" + EVENTS + "', 'id')"));
            run(table + convert).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(4501L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
            assertEquals(4502L, SqlRows.count(connection, "INSERT INTO " + EVENTS + " (payload) VALUES ('after') RETURNING id"));
        }
    }

    /** updateSQL prints the whole script for review, rollbackSQL the way back, and neither changes anything. */
    @Test
    void updateSqlPrintsTheWholeScript() throws Exception {
        run(plainTable(10)).update();
        String sql = run(plainTable(10) + convert("")).updateSql();
        for (String part : List.of("CREATE TABLE %s (LIKE %s INCLUDING ALL) PARTITION BY RANGE (%I)", "CREATE TRIGGER partman_log",
                "WITH seen AS (DELETE FROM", "LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE", "CREATE TRIGGER partman_back")) {
            assertTrue(sql.contains(part), part);
        }
        try (Connection connection = TestDatabase.connect()) {
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM " + SCHEMA + ".databasechangelog WHERE id = 'convert'"));
        }
    }

    /** Refused up front, with the reason, and nothing done: the table stays plain and nothing is left beside it. */
    @Test
    void whatItCannotCarryOverIsRefusedBeforeAnythingIsDone() throws Exception {
        run(plainTable(100)).update();
        try (Connection connection = TestDatabase.connect()) {
            String before = SqlRows.fingerprint(connection, EVENTS);
            assertRefused(connection, "CREATE TABLE " + SCHEMA + ".notes (id bigint, created date, FOREIGN KEY (id, created) REFERENCES " + EVENTS + ")",
                    "these depend on " + EVENTS + ", and would keep pointing at the plain table after the conversion: "
                    + "constraint notes_id_created_fkey on table ", "DROP TABLE " + SCHEMA + ".notes");
            assertRefused(connection, "CREATE VIEW " + SCHEMA + ".recent AS SELECT * FROM " + EVENTS,
                    "after the conversion: view recent", "DROP VIEW " + SCHEMA + ".recent");
            assertRefused(connection, "CREATE FUNCTION " + SCHEMA + ".visible(e " + EVENTS + ") RETURNS boolean LANGUAGE sql AS 'SELECT true'",
                    "after the conversion: function ", "DROP FUNCTION " + SCHEMA + ".visible");
            assertRefused(connection, "CREATE UNIQUE INDEX events_payload_key ON " + EVENTS + " (payload)",
                    "the unique keys events_payload_key (btree (payload)) of " + EVENTS + " lack the control column created",
                    "DROP INDEX " + SCHEMA + ".events_payload_key");
            assertRefused(connection, "CREATE FUNCTION " + SCHEMA + ".noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'; "
                    + "CREATE TRIGGER noop AFTER INSERT ON " + EVENTS + " REFERENCING NEW TABLE AS added FOR EACH ROW EXECUTE FUNCTION "
                    + SCHEMA + ".noop()",
                    "cannot carry over exactly what " + EVENTS + " has: trigger noop is FOR EACH ROW with transition tables (REFERENCING)",
                    "DROP TRIGGER noop ON " + EVENTS);
            assertRefused(connection, "CREATE RULE noop AS ON DELETE TO " + EVENTS + " DO ALSO NOTHING",
                    "does not carry over rules noop", "DROP RULE noop ON " + EVENTS);
            assertRefused(connection, "ALTER TABLE " + EVENTS + " DROP CONSTRAINT events_pkey, ALTER created DROP NOT NULL",
                    "may be NULL, and pg_partman partitions only by a NOT NULL column", "ALTER TABLE " + EVENTS + " ALTER created SET NOT NULL");
            assertRefused(connection, "SELECT 1",
                    "in the order of its primary key, and it has none", "ALTER TABLE " + EVENTS + " ADD PRIMARY KEY (id, created)");
            try (Connection other = TestDatabase.connect()) {
                SqlRows.execute(other, "SELECT pg_advisory_lock(hashtext('liquibase-partman partitionExistingTable'), hashtext('" + EVENTS + "'))");
                assertRefused(connection, "SELECT 1", "another partitionExistingTable (backend "
                        + SqlRows.value(other, "SELECT pg_backend_pid()") + ") is converting " + EVENTS, "SELECT 1");
            }
            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            Exception transaction = assertThrows(Exception.class, () -> run(plainTable(100) + convert("").replace(
                    "runInTransaction=\"false\"", "")).update());
            assertTrue(messages(transaction).contains("partitionExistingTable.runInTransaction: the changeSet must say runInTransaction=\"false\""),
                    messages(transaction));
        }
    }

    private void assertRefused(Connection connection, String setUp, String message, String tearDown) throws Exception {
        SqlRows.execute(connection, setUp);
        Exception refused = assertThrows(Exception.class, () -> run(plainTable(100) + convert("")).update(), setUp);
        assertTrue(messages(refused).contains(message), messages(refused));
        assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA
                + "'::regnamespace AND relname LIKE 'events\\_partman\\_%'"), "nothing made beside it");
        assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE '" + SCHEMA + ".%'"));
        SqlRows.execute(connection, tearDown);
    }

    static String messages(Exception failure) {
        return Failures.messages(failure);
    }
}
