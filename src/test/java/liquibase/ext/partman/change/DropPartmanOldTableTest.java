package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseLog;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * dropPartmanOldTable on a real server: after partitionExistingTable, it drops the kept plain table,
 * the triggers that kept it exact and their function, with every row still in the partitioned table
 * and writes going on; a rerun has nothing to drop; a table that was not converted is refused; its
 * rollback, and then the conversion's, refuse naming it.
 */
class DropPartmanOldTableTest extends OwnSchemaTest {

    private static final String SCHEMA = "drop_old_test";
    private static final String EVENTS = SCHEMA + ".events";
    private static final String CONVERTED = PartitionExistingTableTest.plainTable(3000)
            + PartitionExistingTableTest.convert("premake=\"2\" batchSize=\"500\"");

    DropPartmanOldTableTest() {
        super(SCHEMA);
    }

    private static String drop(String attributes, String rollback) {
        return """
                  <changeSet id="drop-old" author="test">
                    <partman:dropPartmanOldTable tableName="events" %s/>
                    %s
                  </changeSet>
                """.formatted(attributes, rollback);
    }

    @Test
    void theOldTableTheTriggersAndTheirFunctionGoAndEveryRowStays() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "INSERT INTO " + EVENTS + " (payload) VALUES ('after the conversion')",
                    "UPDATE " + EVENTS + " SET payload = 'changed' WHERE id % 7 = 0",
                    "DELETE FROM " + EVENTS + " WHERE id % 11 = 0");
            String rows = SqlRows.fingerprint(connection, EVENTS);
            assertEquals(rows, SqlRows.fingerprint(connection, SCHEMA + ".events_partman_old"), "exact until the drop");
            assertEquals(2L + partitions(connection), backTriggers(connection), "partman_back on the parent and each partition, partman_back_truncate");

            List<String> log = LiquibaseLog.of(() -> run(CONVERTED + drop("lockTimeout=\"200ms\"", "")).update());

            assertTrue(log.stream().anyMatch(line -> line.contains("dropPartmanOldTable " + EVENTS + ": dropped " + SCHEMA
                    + ".events_partman_old, the triggers partman_back and partman_back_truncate, their function and the view " + SCHEMA
                    + ".events_partman_cols")), log.toString());
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + SCHEMA + ".events_partman_old')"));
            assertEquals(0L, backTriggers(connection));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_proc WHERE pronamespace = '" + SCHEMA + "'::regnamespace AND proname LIKE 'events\\_partman\\_%'"), "no function of the conversion");
            assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA
                    + "'::regnamespace AND relkind IN ('r', 'p', 'S', 'v') AND relname LIKE 'events\\_partman\\_%'"), "no table, sequence or view of the conversion left");
            assertEquals(rows, SqlRows.fingerprint(connection, EVENTS), "every row there");
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));

            SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " ALTER COLUMN amount TYPE numeric(12,2)");
            long before = SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS);
            long deleted = SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS + " WHERE id % 13 = 0");
            SqlRows.execute(connection,
                    "DELETE FROM " + EVENTS + " WHERE id % 13 = 0",
                    "UPDATE " + EVENTS + " SET payload = 'changed again' WHERE id % 5 = 0",
                    "INSERT INTO " + EVENTS + " (payload) VALUES ('after the drop')",
                    "SELECT partman.run_maintenance(p_parent_table := '" + EVENTS + "')");
            assertEquals(before - deleted + 1, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS), "writes work as before");
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + EVENTS + " WHERE payload = 'after the drop'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM " + EVENTS + " WHERE id % 13 = 0"));

            // A rerun (the changeset run again, or a second one) finds nothing left to drop and changes nothing: a trigger
            // of the table's users named as the conversion's own were is theirs, and stays.
            SqlRows.execute(connection, "CREATE FUNCTION " + SCHEMA + ".mine() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'",
                    "CREATE TRIGGER partman_back AFTER INSERT ON " + EVENTS + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".mine()");
            String after = SqlRows.fingerprint(connection, EVENTS);
            List<String> rerun = LiquibaseLog.of(() -> run(CONVERTED + drop("", "").replace("drop-old", "drop-again")).update());
            assertTrue(rerun.stream().anyMatch(line -> line.contains("dropPartmanOldTable " + EVENTS + ": nothing to drop")), rerun.toString());
            assertEquals(after, SqlRows.fingerprint(connection, EVENTS));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_trigger WHERE tgrelid = '" + EVENTS + "'::regclass AND tgname = 'partman_back'"),
                    "the user's trigger partman_back stays");
        }
    }

    /** Refused, saying the old table is gone; the changeset stays recorded and the table partitioned. */
    @Test
    void theRollbackIsRefused() throws Exception {
        run(CONVERTED + drop("", "")).update();
        String refused = Failures.messages(assertThrows(Exception.class, () -> run(CONVERTED + drop("", "")).rollbackCount(1)));
        assertTrue(refused.contains("dropPartmanOldTable on " + EVENTS + " cannot be rolled back: it dropped " + EVENTS
                + "_partman_old, the plain table partitionExistingTable kept for its rollback"), refused);
        try (Connection connection = TestDatabase.connect()) {
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + SCHEMA + ".databasechangelog WHERE id = 'drop-old'"), "still recorded");
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        }
    }

    /** With the drop's rollback declared empty, the conversion's rollback is reached, and refuses naming dropPartmanOldTable. */
    @Test
    void theConversionsRollbackNamesTheDrop() throws Exception {
        String changeLog = CONVERTED + drop("", "<rollback/>");
        run(changeLog).update();
        String refused = Failures.messages(assertThrows(Exception.class, () -> run(changeLog).rollbackCount(2)));
        assertTrue(refused.contains("the rollback of partitionExistingTable needs the plain table " + EVENTS
                + "_partman_old the conversion kept, and it is gone: dropPartmanOldTable (or a DROP by hand) made the conversion of "
                + EVENTS + " final"), refused);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        }
    }

    @Test
    void aTableThatWasNotConvertedIsRefused() throws Exception {
        run(PartitionExistingTableTest.plainTable(10)).update();
        String refused = Failures.messages(assertThrows(Exception.class,
                () -> run(PartitionExistingTableTest.plainTable(10) + drop("", "")).update()));
        assertTrue(refused.contains("dropPartmanOldTable: " + EVENTS + " is not partitioned, so it is not a table partitionExistingTable converted"),
                refused);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(10L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
            SqlRows.execute(connection, "DROP TABLE " + EVENTS + " CASCADE");
        }
        refused = Failures.messages(assertThrows(Exception.class, () -> run(drop("", "")).update()));
        assertTrue(refused.contains("dropPartmanOldTable: table " + EVENTS + " does not exist"), refused);
    }

    /** Bad attributes stop the update before any SQL runs, naming the attribute. */
    @Test
    void validationNamesTheAttribute() throws Exception {
        run(CONVERTED).update();
        String refused = Failures.messages(assertThrows(Exception.class, () -> run(CONVERTED + drop("lockTimeout=\"soon\"", "")).update()));
        assertTrue(refused.contains("dropPartmanOldTable.lockTimeout: 'soon' is not a lock timeout such as '100ms', '2s' or '1min'"), refused);
        try (Connection connection = TestDatabase.connect()) {
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + SCHEMA + ".events_partman_old')"));
        }
    }

    /**
     * While a transaction holds the table, the drop's lock requests wait at most lockTimeout each, so a query queued
     * behind them waits about that long, not until the transaction ends; the drop follows once it has ended.
     */
    @Test
    void queriesQueuedBehindTheDropWaitAtMostItsLockTimeout() throws Exception {
        run(CONVERTED).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect(); Connection other = TestDatabase.connect()) {
            holder.setAutoCommit(false);
            SqlRows.value(holder, "SELECT count(*) FROM " + EVENTS);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread drop = new Thread(() -> {
                try {
                    run(CONVERTED + drop("lockTimeout=\"50ms\"", "")).update();
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            drop.start();
            Thread.sleep(500);
            long longest = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                SqlRows.value(other, "SELECT count(*) FROM " + EVENTS);
                longest = Math.max(longest, (System.nanoTime() - start) / 1_000_000);
                Thread.sleep(50);
            }
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + SCHEMA + ".events_partman_old')"),
                    "not dropped while the table is held");
            holder.commit();
            drop.join(30_000);
            assertEquals(null, failure.get());
            assertTrue(longest < 1000, "a query behind the drop waited " + longest + " ms (lockTimeout 50ms a try)");
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + SCHEMA + ".events_partman_old')"));
        }
    }

    private static long partitions(Connection connection) throws Exception {
        return SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + EVENTS + "'::regclass");
    }

    private static long backTriggers(Connection connection) throws Exception {
        return SqlRows.count(connection, "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = '"
                + SCHEMA + "'::regnamespace AND t.tgname LIKE 'partman\\_back%'");
    }
}
