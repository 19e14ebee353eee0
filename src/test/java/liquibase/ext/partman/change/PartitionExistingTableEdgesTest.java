package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable where what users do could take the conversion by surprise: triggers of theirs named as the
 * conversion's own, partitions truncated, detached, dropped or attached before the rollback (and during it), a trigger
 * function the running role may not execute, and objects made on the partitioned table that the rollback would drop.
 * Each is refused before anything is done, or handled exactly.
 */
class PartitionExistingTableEdgesTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_edges";
    private static final String EVENTS = SCHEMA + ".events";
    private static final String OLD = EVENTS + "_partman_old";
    private static final String TABLE = PartitionExistingTableTest.plainTable(3000);
    private static final String CONVERTED = TABLE + PartitionExistingTableTest.convert("premake=\"2\" batchSize=\"500\"");

    PartitionExistingTableEdgesTest() {
        super(SCHEMA);
    }

    /**
     * The conversion tells its own triggers by their functions: a user's trigger named partman_log is refused up front
     * (it was taken for an interrupted run's and dropped), and one made on the partitioned table goes back with the rollback.
     */
    @Test
    void aUsersTriggerNamedAsTheConversionsOwnIsTheUsers() throws Exception {
        run(TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE FUNCTION " + SCHEMA + ".mine() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'",
                    "CREATE TRIGGER partman_log AFTER INSERT ON " + EVENTS + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".mine()",
                    "CREATE TRIGGER partman_back_truncate AFTER TRUNCATE ON " + EVENTS + " FOR EACH STATEMENT EXECUTE FUNCTION " + SCHEMA + ".mine()");
            String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class, () -> run(CONVERTED).update()));
            assertTrue(refused.contains("partitionExistingTable: " + EVENTS + " has triggers named partman_back_truncate, partman_log, "
                    + "the names the conversion gives its own triggers"), refused);
            assertEquals(List.of("partman_back_truncate", "partman_log"), userTriggers(connection, EVENTS));
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));

            SqlRows.execute(connection, "ALTER TRIGGER partman_log ON " + EVENTS + " RENAME TO mine",
                    "DROP TRIGGER partman_back_truncate ON " + EVENTS);
            run(CONVERTED).update();
            SqlRows.execute(connection, "CREATE TRIGGER partman_log AFTER INSERT ON " + EVENTS + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".mine()");
            run(CONVERTED).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(List.of("mine", "partman_log"), userTriggers(connection, EVENTS));
        }
    }

    /**
     * A partition truncated, one detached and dropped, a table attached: the write-back saw none of it. A row written
     * again with a truncated row's key is written back; the rollback gives the plain table exactly the partitioned
     * table's rows, also when a partition is truncated after it compared them and before its lock.
     */
    @Test
    void theRollbackBringsBackExactlyThePartitionedTablesRows() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect()) {
            List<String> partitions = SqlRows.strings(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + EVENTS + "')");
            String truncated = partitions.get(2);
            String detached = partitions.get(3);
            String truncatedDuringRollback = partitions.get(4);
            String again = (String) SqlRows.value(connection, "SELECT id || ', ''' || created || '''' FROM " + truncated + " ORDER BY id LIMIT 1");
            SqlRows.execute(connection, "TRUNCATE " + truncated,
                    "INSERT INTO " + EVENTS + " (id, created, payload) VALUES (" + again + ", 'written again')",
                    "ALTER TABLE " + EVENTS + " DETACH PARTITION " + detached,
                    "DROP TABLE " + detached,
                    "CREATE TABLE " + SCHEMA + ".attached (LIKE " + EVENTS + " INCLUDING ALL)",
                    "INSERT INTO " + SCHEMA + ".attached (id, created, payload) SELECT 900000 + g, s.start - g, 'attached' "
                            + "FROM (SELECT child_start_time::date AS start FROM partman.show_partition_info('" + partitions.get(0)
                            + "', p_parent_table := '" + EVENTS + "')) s, generate_series(1, 5) g");
            SqlRows.execute(connection, "DO $$ DECLARE v_start date := (SELECT child_start_time::date FROM partman.show_partition_info('"
                    + partitions.get(0) + "', p_parent_table := '" + EVENTS + "')); BEGIN EXECUTE format('ALTER TABLE " + EVENTS
                    + " ATTACH PARTITION " + SCHEMA + ".attached FOR VALUES FROM (%L) TO (%L)', v_start - 7, v_start); END $$");
            assertEquals(1L, SqlRows.count(connection, "SELECT count(*) FROM " + OLD + " WHERE payload = 'written again'"), "written back");
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".expected AS SELECT * FROM " + EVENTS
                    + " WHERE tableoid <> '" + truncatedDuringRollback + "'::regclass");
            String expected = SqlRows.fingerprint(connection, SCHEMA + ".expected");

            // Holding a lock on the plain table that the rollback's reconciling takes too but its swap waits for, a session
            // truncates a partition once the rollback waits, and commits: the swap finds the partitions changed.
            try (Connection other = TestDatabase.connect()) {
                other.setAutoCommit(false);
                SqlRows.execute(other, "LOCK TABLE " + OLD + " IN ROW EXCLUSIVE MODE");
                String holder = SqlRows.value(other, "SELECT pg_backend_pid()").toString();
                CompletableFuture<Void> rollback = CompletableFuture.runAsync(() -> {
                    try {
                        run(CONVERTED).rollbackCount(1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long waited = 0;
                while (!SqlRows.exists(connection, "SELECT 1 FROM pg_locks WHERE relation = '" + OLD + "'::regclass AND NOT granted "
                        + "AND pid <> " + holder) && waited < 50_000) {
                    Thread.sleep(5);
                    waited += 5;
                }
                SqlRows.execute(other, "TRUNCATE " + truncatedDuringRollback);
                other.commit();
                rollback.get(2, TimeUnit.MINUTES);
            }
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(expected, SqlRows.fingerprint(connection, EVENTS));
        }
    }

    /**
     * Rows of a table attached after the conversion, which the rollback's reconciliation adds to the plain table, deleted,
     * given another key and updated by the application while the slice adding them is not committed yet: the plain
     * table gets them as the application left them (the deleted row came back, the old key stayed beside the new one,
     * and the update failed on the plain table's key), and no write fails.
     */
    @Test
    void rowsTheReconciliationAddsMayBeWrittenMeanwhile() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect(); Connection blocker = TestDatabase.connect();
                Connection writer = TestDatabase.connect()) {
            String first = SqlRows.strings(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + EVENTS + "')").get(0);
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".attached (LIKE " + EVENTS + " INCLUDING ALL)",
                    "INSERT INTO " + SCHEMA + ".attached (id, created, payload) SELECT 900000 + g, s.start - g, 'attached' "
                            + "FROM (SELECT child_start_time::date AS start FROM partman.show_partition_info('" + first
                            + "', p_parent_table := '" + EVENTS + "')) s, generate_series(1, 4) g");
            SqlRows.execute(connection, "DO $$ DECLARE v_start date := (SELECT child_start_time::date FROM partman.show_partition_info('"
                    + first + "', p_parent_table := '" + EVENTS + "')); BEGIN EXECUTE format('ALTER TABLE " + EVENTS
                    + " ATTACH PARTITION " + SCHEMA + ".attached FOR VALUES FROM (%L) TO (%L)', v_start - 7, v_start); END $$");

            // An uncommitted row of the plain table with the last attached key holds the slice adding the attached rows.
            blocker.setAutoCommit(false);
            SqlRows.execute(blocker, "INSERT INTO " + OLD + " SELECT * FROM " + SCHEMA + ".attached WHERE id = 900004");
            Object blockerXid = SqlRows.value(blocker, "SELECT pg_current_xact_id()::text");
            CompletableFuture<Void> rollback = CompletableFuture.runAsync(() -> {
                try {
                    run(CONVERTED).rollbackCount(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                SqlRows.waitFor(connection, "SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted "
                        + "AND transactionid::text = '" + blockerXid + "'");
                CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                    try {
                        SqlRows.execute(writer, "DELETE FROM " + EVENTS + " WHERE id = 900001",
                                "UPDATE " + EVENTS + " SET id = 900011 WHERE id = 900002",
                                "UPDATE " + EVENTS + " SET payload = 'changed' WHERE id = 900003");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    writes.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // Held until the slice commits: the write fails then, on the plain table's key, if the rows came unlocked.
                }
                String expected = SqlRows.fingerprint(connection, EVENTS);
                blocker.rollback();
                writes.get(1, TimeUnit.MINUTES);
                rollback.get(2, TimeUnit.MINUTES);
                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(List.of("900003 changed", "900004 attached", "900011 attached"), SqlRows.strings(connection,
                        "SELECT id || ' ' || payload FROM " + EVENTS + " WHERE id > 900000 ORDER BY id"));
                assertEquals(expected, SqlRows.fingerprint(connection, EVENTS));
            } finally {
                blocker.rollback();
            }
        }
    }

    /**
     * A trigger whose function the running role may not execute, and a table the role does not own, are refused
     * before anything is done (the trigger made the swap fail, after the copy).
     */
    @Test
    void whatTheRunningRoleMayNotDoIsRefusedUpFront() throws Exception {
        String owner = "convert_edges_owner";
        String team = "convert_edges_team";
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "') THEN "
                    + "DROP OWNED BY " + owner + "; DROP ROLE " + owner + "; END IF; END $$",
                    "CREATE ROLE " + owner + " LOGIN PASSWORD 'owner'",
                    "GRANT ALL ON SCHEMA " + SCHEMA + " TO " + owner,
                    "GRANT USAGE, CREATE ON SCHEMA partman TO " + owner,
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA partman TO " + owner,
                    "CREATE TABLE " + EVENTS + " (id bigint, created date NOT NULL, PRIMARY KEY (id, created))",
                    "INSERT INTO " + EVENTS + " SELECT g, current_date - g FROM generate_series(1, 100) g",
                    "ALTER TABLE " + EVENTS + " OWNER TO " + owner,
                    "CREATE FUNCTION " + SCHEMA + ".secret() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'",
                    "REVOKE EXECUTE ON FUNCTION " + SCHEMA + ".secret() FROM PUBLIC",
                    "CREATE TRIGGER secret AFTER INSERT ON " + EVENTS + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".secret()");
            try {
                String url = TestDatabase.url().replace("user=postgres", "user=" + owner).replaceFirst("password=[^&]*", "password=owner");
                String convert = """
                          <changeSet id="convert" author="test" runInTransaction="false">
                            <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month"/>
                          </changeSet>
                        """;
                String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class,
                        () -> LiquibaseRun.of("changelog.xml", LiquibaseRun.xmlChangeLog(convert), url, SCHEMA).update()));
                assertTrue(refused.contains("trigger secret calls " + SCHEMA + ".secret(), which " + owner + " may not execute "
                        + "(GRANT EXECUTE ON FUNCTION " + SCHEMA + ".secret() TO " + owner + ")"), refused);
                assertNothingDone(connection);

                SqlRows.execute(connection, "GRANT EXECUTE ON FUNCTION " + SCHEMA + ".secret() TO " + owner,
                        "ALTER TABLE " + EVENTS + " OWNER TO postgres", "GRANT ALL ON " + EVENTS + " TO " + owner);
                refused = PartitionExistingTableTest.messages(assertThrows(Exception.class,
                        () -> LiquibaseRun.of("changelog.xml", LiquibaseRun.xmlChangeLog(convert), url, SCHEMA).update()));
                assertTrue(refused.contains("partitionExistingTable: " + owner + " may not rename or alter " + EVENTS
                        + ", which only its owner may"), refused);
                assertNothingDone(connection);

                // A member of the owning role may convert; the tables made (and pg_partman's template) get that role, which needs CREATE.
                SqlRows.execute(connection, "CREATE ROLE " + team, "GRANT " + team + " TO " + owner, "ALTER TABLE " + EVENTS + " OWNER TO " + team);
                refused = PartitionExistingTableTest.messages(assertThrows(Exception.class,
                        () -> LiquibaseRun.of("changelog.xml", LiquibaseRun.xmlChangeLog(convert), url, SCHEMA).update()));
                assertTrue(refused.contains("partitionExistingTable gives the tables it makes (and pg_partman its template table) the owner of "
                        + EVENTS + ", " + team + ", which may not create tables in schema " + SCHEMA + ", partman"), refused);
                assertNothingDone(connection);
                SqlRows.execute(connection, "GRANT CREATE ON SCHEMA " + SCHEMA + ", partman TO " + team);
                LiquibaseRun.of("changelog.xml", LiquibaseRun.xmlChangeLog(convert), url, SCHEMA).update();
                assertEquals(team, SqlRows.value(connection, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(team, SqlRows.value(connection, "SELECT pg_get_userbyid(proowner)::text FROM pg_proc WHERE proname = 'events_partman_back' AND pronamespace = '" + SCHEMA + "'::regnamespace"),
                        "the write-back runs as the table's owner, not as the member who ran the conversion");
            } finally {
                TestDatabase.resetSchema(SCHEMA);
                SqlRows.execute(connection, "DROP OWNED BY " + owner, "DROP ROLE " + owner,
                        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + team + "') THEN DROP OWNED BY " + team + "; DROP ROLE "
                                + team + "; END IF; END $$");
            }
        }
    }

    /**
     * What was made on the partitioned table or a partition since the conversion and would stop dropping it (a view, a
     * policy naming a partition, a foreign key of another table) is refused before the rollback changes anything.
     */
    @Test
    void theRollbackRefusesWhatWouldStopItBeforeChangingAnything() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect()) {
            String partition = SqlRows.strings(connection, "SELECT partition_schemaname || '.' || partition_tablename "
                    + "FROM partman.show_partitions('" + EVENTS + "')").get(1);
            String rows = SqlRows.fingerprint(connection, EVENTS);
            assertRollbackRefused(connection, "CREATE VIEW " + SCHEMA + ".everything AS SELECT * FROM " + EVENTS, "view everything",
                    "DROP VIEW " + SCHEMA + ".everything");
            assertRollbackRefused(connection, "CREATE VIEW " + SCHEMA + ".recent_part AS SELECT * FROM " + partition, "view recent_part",
                    "DROP VIEW " + SCHEMA + ".recent_part");
            assertRollbackRefused(connection, "CREATE POLICY early ON " + EVENTS + " USING (id IN (SELECT id FROM " + partition + "))",
                    "policy early on table ", "DROP POLICY early ON " + EVENTS);
            assertRollbackRefused(connection, "CREATE TABLE " + SCHEMA + ".notes (id bigint, created date, FOREIGN KEY (id, created) REFERENCES "
                    + EVENTS + ")", "constraint notes_id_created_fkey on table ", "DROP TABLE " + SCHEMA + ".notes");
            assertEquals(rows, SqlRows.fingerprint(connection, EVENTS));
            run(CONVERTED).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(rows, SqlRows.fingerprint(connection, EVENTS));
        }
    }

    /** The write-back writes the columns the table had at the conversion: with a column added since, the rollback is refused. */
    @Test
    void aColumnChangedSinceTheConversionStopsTheRollbackBeforeAnythingIsDone() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " ADD COLUMN extra int",
                    "INSERT INTO " + EVENTS + " (created, payload, extra) VALUES (current_date, 'with extra', 42)");
            String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class, () -> run(CONVERTED).rollbackCount(1)));
            assertTrue(refused.contains("the columns of " + EVENTS + " changed since the conversion"), refused);
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " DROP COLUMN extra");
            run(CONVERTED).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + EVENTS + " WHERE payload = 'with extra'"));
        }
    }

    /**
     * The columns the write-back writes are kept by a view of them: dropping or retyping one is refused, naming the view,
     * where it would make every write fail in the write-back; writes go on. The rollback drops the view.
     */
    @Test
    void aColumnTheWriteBackWritesCannotBeDroppedOrRetyped() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect()) {
            String view = EVENTS + "_partman_cols";
            assertEquals(SqlRows.value(connection, "SELECT relowner::regrole::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"),
                    SqlRows.value(connection, "SELECT relowner::regrole::text FROM pg_class WHERE oid = '" + view + "'::regclass"), "the table's owner");
            assertTrue(SqlRows.exists(connection, "SELECT 1 WHERE obj_description('" + view + "'::regclass, 'pg_class') "
                    + "LIKE 'Kept by partitionExistingTable until dropPartmanOldTable: %'"), "its comment says what it is for");
            for (String change : List.of("DROP COLUMN amount", "DROP COLUMN payload",
                    "ALTER COLUMN amount TYPE numeric(12,2)", "ALTER COLUMN kind TYPE bigint")) {
                String refused = assertThrows(Exception.class, () -> SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " " + change),
                        change).getMessage();
                assertTrue(refused.contains("events_partman_cols"), change + ": " + refused);
            }
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (payload, amount) VALUES ('after the refusals', 1.5)",
                    "UPDATE " + EVENTS + " SET amount = amount + 1, payload = 'changed' WHERE id % 7 = 0",
                    "DELETE FROM " + EVENTS + " WHERE id % 11 = 0");
            assertEquals(SqlRows.fingerprint(connection, EVENTS), SqlRows.fingerprint(connection, OLD), "written back");

            run(CONVERTED).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + view + "')"), "the rollback drops the view");
            SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " ALTER COLUMN amount TYPE numeric(12,2)");
        }
    }

    /** A templateTable the changelog names is the user's: the conversion does not change it, the rollback does not drop it. */
    @Test
    void aTemplateTableTheChangelogNamesIsLeftAsItIs() throws Exception {
        String template = """
                  <changeSet id="template" author="test">
                    <sql>CREATE TABLE events_template (LIKE events) WITH (fillfactor = 70)</sql>
                    <sql>ALTER TABLE events SET (fillfactor = 90)</sql>
                  </changeSet>
                """;
        String changeSets = TABLE + template + PartitionExistingTableTest.convert("premake=\"2\" templateTable=\"events_template\"");
        run(changeSets).update();
        try (Connection connection = TestDatabase.connect()) {
            String options = "SELECT reloptions::text FROM pg_class WHERE oid = '" + SCHEMA + ".events_template'::regclass";
            assertEquals("{fillfactor=70}", SqlRows.value(connection, options));
            run(changeSets).rollbackCount(1);
            assertEquals("{fillfactor=70}", SqlRows.value(connection, options));
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        }
    }

    private void assertRollbackRefused(Connection connection, String setUp, String names, String tearDown) throws Exception {
        SqlRows.execute(connection, setUp);
        String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class, () -> run(CONVERTED).rollbackCount(1), setUp));
        assertTrue(refused.contains("the rollback of partitionExistingTable drops " + EVENTS + " and its partitions, and these depend on them "
                + "or are theirs and not carried back: "), refused);
        assertTrue(refused.contains(names), refused);
        // Not half done: still converted, registered, and kept exact.
        assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = '" + EVENTS + "'"));
        assertEquals(2L, SqlRows.count(connection, "SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + EVENTS + "'::regclass "
                + "AND tgname LIKE 'partman\\_back%'"));
        assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + EVENTS + "_partman_new')"));
        SqlRows.execute(connection, tearDown);
        assertEquals(SqlRows.fingerprint(connection, EVENTS), SqlRows.fingerprint(connection, OLD));
    }

    private static void assertNothingDone(Connection connection) throws Exception {
        assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA
                + "'::regnamespace AND relname LIKE 'events\\_partman\\_%'"), "nothing made beside it");
        assertEquals(100L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
    }

    /**
     * Index and sequence names alike in their first bytes (two indexes PostgreSQL named on long columns; a 50-byte table's
     * primary key and identity sequence) are set aside apart in the swap, and given back by the rollback.
     */
    @Test
    void namesAlikeInTheirFirstBytesAreSetAsideApart() throws Exception {
        String table = "t".repeat(38) + "_events_long";
        String changelog = """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE events (id bigserial, created date NOT NULL, customer_identifier_long_name bigint,
                           status_of_the_event_long_name text, PRIMARY KEY (id, created))</sql>
                    <sql>CREATE INDEX ON events (customer_identifier_long_name, status_of_the_event_long_name) WHERE created &gt; '2020-01-01'</sql>
                    <sql>CREATE INDEX ON events (customer_identifier_long_name, status_of_the_event_long_name) WHERE created &gt; '2021-01-01'</sql>
                    <sql>INSERT INTO events (created, customer_identifier_long_name) SELECT current_date - (g %% 400), g FROM generate_series(1, 3000) g</sql>
                    <sql>CREATE TABLE %1$s (id bigint GENERATED BY DEFAULT AS IDENTITY, created date NOT NULL, payload text, PRIMARY KEY (id, created))</sql>
                    <sql>INSERT INTO %1$s (created, payload) SELECT current_date - (g %% 400), 'row' FROM generate_series(1, 3000) g</sql>
                  </changeSet>
                  <changeSet id="convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month" premake="2"/>
                    <partman:partitionExistingTable tableName="%1$s" controlColumn="created" interval="1 month" premake="2"/>
                  </changeSet>
                """.formatted(table);
        run(changelog.split("  <changeSet id=\"convert\"")[0]).update();
        try (Connection connection = TestDatabase.connect()) {
            String names = "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = '" + SCHEMA
                    + "'::regnamespace AND relkind IN ('i', 'S')";
            Object before = SqlRows.value(connection, names);
            String rows = SqlRows.fingerprint(connection, EVENTS) + SqlRows.fingerprint(connection, SCHEMA + "." + table);

            run(changelog).update();

            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + SCHEMA + "." + table + "'::regclass"));
            run(changelog).rollbackCount(1);
            assertEquals(before, SqlRows.value(connection, names));
            assertEquals(rows, SqlRows.fingerprint(connection, EVENTS) + SqlRows.fingerprint(connection, SCHEMA + "." + table));
        }
    }

    /**
     * The converted table has exactly the plain table's grants (default privileges do not add to them), an identity
     * sequence keeps its grants, and the owner, grants and comment given to the partitioned table after the conversion
     * are the plain table's after the rollback.
     */
    @Test
    void privilegesOwnerAndCommentFollowTheTableBothWays() throws Exception {
        String reader = "convert_edges_reader";
        String keeper = "convert_edges_keeper";
        String tally = """
                  <changeSet id="tally" author="test">
                    <sql>CREATE TABLE tally (id bigint GENERATED ALWAYS AS IDENTITY, created date NOT NULL, PRIMARY KEY (id, created))</sql>
                    <sql>INSERT INTO tally (created) SELECT current_date - g FROM generate_series(1, 50) g</sql>
                    <sql>GRANT USAGE ON SEQUENCE tally_id_seq TO %1$s</sql>
                  </changeSet>
                  <changeSet id="tally-convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="tally" controlColumn="created" interval="1 month"/>
                  </changeSet>
                """.formatted(reader);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP ROLE IF EXISTS " + reader, "DROP ROLE IF EXISTS " + keeper, "CREATE ROLE " + reader,
                    "CREATE ROLE " + keeper);
            try {
                run(TABLE).update();
                SqlRows.execute(connection, "ALTER DEFAULT PRIVILEGES IN SCHEMA " + SCHEMA + " GRANT DELETE ON TABLES TO " + reader);
                String changelog = TABLE + tally + PartitionExistingTableTest.convert("premake=\"2\" batchSize=\"500\"");
                run(changelog).update();
                assertEquals(List.of("f t"), SqlRows.strings(connection, "SELECT concat_ws(' ', "
                        + "has_table_privilege('" + reader + "', '" + EVENTS + "', 'DELETE'), "
                        + "has_sequence_privilege('" + reader + "', '" + SCHEMA + ".tally_id_seq', 'USAGE'))"),
                        "no default privilege on the converted table; the identity sequence's grant kept");

                SqlRows.execute(connection, "GRANT SELECT ON " + EVENTS + " TO " + reader, "GRANT UPDATE (payload) ON " + EVENTS + " TO " + reader,
                        "COMMENT ON TABLE " + EVENTS + " IS 'the events, partitioned'", "ALTER TABLE " + EVENTS + " OWNER TO " + keeper);
                run(changelog).rollbackCount(2);

                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(List.of("t t f f t " + keeper), SqlRows.strings(connection, "SELECT concat_ws(' ', "
                        + "has_table_privilege('" + reader + "', '" + EVENTS + "', 'SELECT'), "
                        + "has_column_privilege('" + reader + "', '" + EVENTS + "', 'payload', 'UPDATE'), "
                        + "has_column_privilege('" + reader + "', '" + EVENTS + "', 'amount', 'UPDATE'), "
                        + "has_table_privilege('" + reader + "', '" + EVENTS + "', 'DELETE'), "
                        + "has_sequence_privilege('" + reader + "', '" + SCHEMA + ".tally_id_seq', 'USAGE'), "
                        + "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = '" + EVENTS + "'::regclass))"));
                assertEquals("the events, partitioned", SqlRows.value(connection, "SELECT obj_description('" + EVENTS + "'::regclass, 'pg_class')"));

                SqlRows.execute(connection, "REVOKE SELECT ON " + EVENTS + " FROM " + reader);
                run(CONVERTED).update();
                run(CONVERTED).rollbackCount(1);
                assertEquals(List.of("f t"), SqlRows.strings(connection, "SELECT concat_ws(' ', "
                        + "has_table_privilege('" + reader + "', '" + EVENTS + "', 'SELECT'), "
                        + "has_column_privilege('" + reader + "', '" + EVENTS + "', 'payload', 'UPDATE'))"), "a revoke stays revoked");
            } finally {
                cleanSchema();
                SqlRows.execute(connection, "DROP OWNED BY " + reader, "DROP OWNED BY " + keeper, "DROP ROLE " + reader, "DROP ROLE " + keeper);
            }
        }
    }

    /**
     * A multibyte table name of 50 bytes: pg_partman 4.7 shortens partition names by characters, so PostgreSQL cuts the
     * months of a year to one name and pg_partman makes no partition for the next; the run stops (it asked again for
     * ever) and leaves the table as it was. pg_partman 5 shortens by bytes and converts it.
     */
    @Test
    void aPartitionPgPartmanDoesNotMakeStopsTheRun() throws Exception {
        String table = "t\u00e2bl\u00e9_\u00fc_" + "x".repeat(39);
        String changelog = """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE "%1$s" (id bigint, created date NOT NULL, PRIMARY KEY (id, created))</sql>
                    <sql>INSERT INTO "%1$s" SELECT g, current_date - g FROM generate_series(1, 400) g</sql>
                  </changeSet>
                  <changeSet id="convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="%1$s" controlColumn="created" interval="1 month"/>
                  </changeSet>
                """.formatted(table);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(50L, SqlRows.value(connection, "SELECT octet_length('" + table + "')::bigint"));
            run(changelog.split("  <changeSet id=\"convert\"")[0]).update();
            String qualified = SCHEMA + ".\"" + table + "\"";
            String rows = SqlRows.fingerprint(connection, qualified);
            if (TestDatabase.partmanVersion().atLeast(5, 0)) {
                run(changelog).update();
                assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + qualified + "'::regclass"));
            } else {
                String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class, () -> run(changelog).update()));
                assertTrue(refused.contains("pg_partman made no partition of"), refused);
                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + qualified + "'::regclass"));
            }
            assertEquals(rows, SqlRows.fingerprint(connection, qualified));
        } finally {
            cleanSchema();
        }
    }

    private static List<String> userTriggers(Connection connection, String table) throws Exception {
        return SqlRows.strings(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = '" + table + "'::regclass AND NOT tgisinternal ORDER BY 1");
    }
}
