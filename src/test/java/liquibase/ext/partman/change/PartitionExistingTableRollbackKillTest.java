package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.SqlRows.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable's rollback killed at two points: while its swap waits for the table, and after its swap
 * committed, while it drops the partitioned table. Either way nothing is lost, the table is whole under its name
 * (partitioned in the first case, plain in the second), and running the rollback again finishes it.
 */
class PartitionExistingTableRollbackKillTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_rollback_kill";
    private static final String EVENTS = SCHEMA + ".events";
    private static final String RUNNER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "
            + "AND classid = (hashtext('liquibase-partman partitionExistingTable')::bigint & 4294967295)::oid";
    private static final String CHANGE_SETS = """
              <changeSet id="plain" author="test">
                <sql>CREATE TABLE events (id bigserial, created date NOT NULL, payload text NOT NULL, PRIMARY KEY (id, created))</sql>
                <sql>INSERT INTO events (created, payload) SELECT current_date - (g % 400), 'row ' || g FROM generate_series(1, 5000) g</sql>
              </changeSet>
              <changeSet id="convert" author="test" runInTransaction="false">
                <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month" premake="2" batchSize="1000"/>
              </changeSet>
            """;

    PartitionExistingTableRollbackKillTest() {
        super(SCHEMA);
    }

    /** Killed while its swap waits for a session reading the table: the table stays converted, exact, and in use. */
    @Test
    void killedWaitingForItsSwapTheTableStaysConvertedAndARerunFinishes() throws Exception {
        run(CHANGE_SETS).update();
        try (Connection connection = TestDatabase.connect(); Connection reader = TestDatabase.connect()) {
            writeSomeRows(connection);
            reader.setAutoCommit(false);
            SqlRows.execute(reader, "SELECT count(*) FROM " + EVENTS);
            CompletableFuture<Void> rollback = CompletableFuture.runAsync(this::rollback);
            waitFor(connection, "SELECT 1 FROM pg_locks WHERE relation = '" + EVENTS + "'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted");
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, RUNNER) + ")");
            assertThrows(ExecutionException.class, () -> rollback.get(1, TimeUnit.MINUTES));
            reader.rollback();

            waitFor(connection, "SELECT 1 WHERE NOT EXISTS (" + RUNNER + ")");
            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            writeSomeRows(connection);
            assertEquals(SqlRows.fingerprint(connection, EVENTS), SqlRows.fingerprint(connection, EVENTS + "_partman_old"),
                    "the write-back trigger still keeps the plain table exact");
            assertRolledBackOnRerun(connection);
        }
    }

    /**
     * Killed after its swap committed, while it drops the partitioned table (an event trigger holds DROP TABLE until the
     * kill): the plain table is back with every row, and the rerun removes what is left of the partitioned table.
     */
    @Test
    void killedAfterItsSwapThePlainTableIsBackAndARerunFinishes() throws Exception {
        run(CHANGE_SETS).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            writeSomeRows(connection);
            SqlRows.execute(connection, "CREATE FUNCTION " + SCHEMA + ".hold_drop() RETURNS event_trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN IF tg_tag = 'DROP TABLE' THEN PERFORM pg_advisory_xact_lock_shared(4243); END IF; END $$",
                    "CREATE EVENT TRIGGER convert_rollback_kill_hold_drop ON ddl_command_start EXECUTE FUNCTION " + SCHEMA + ".hold_drop()");
            try {
                SqlRows.execute(holder, "SELECT pg_advisory_lock(4243)");
                String partitioned = SqlRows.fingerprint(connection, EVENTS);
                CompletableFuture<Void> rollback = CompletableFuture.runAsync(this::rollback);
                waitFor(connection, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4243 AND NOT granted");
                SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, RUNNER) + ")");
                assertThrows(ExecutionException.class, () -> rollback.get(1, TimeUnit.MINUTES));
                SqlRows.execute(holder, "SELECT pg_advisory_unlock(4243)");
                waitFor(connection, "SELECT 1 WHERE NOT EXISTS (" + RUNNER + ")");

                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(partitioned, SqlRows.fingerprint(connection, EVENTS));
                assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "_partman_new'::regclass"),
                        "the partitioned table the kill left");
            } finally {
                SqlRows.execute(connection, "DROP EVENT TRIGGER IF EXISTS convert_rollback_kill_hold_drop");
            }
            writeSomeRows(connection);
            assertRolledBackOnRerun(connection);
        }
    }

    private void assertRolledBackOnRerun(Connection connection) throws Exception {
        String before = SqlRows.fingerprint(connection, EVENTS);
        SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
        rollback();
        assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertEquals(before, SqlRows.fingerprint(connection, EVENTS), "every row, those written after the kill too");
        assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = '" + SCHEMA + "' AND c.relname LIKE 'events%partman%' ORDER BY 1"), "nothing of the conversion left");
        assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE '" + SCHEMA + ".%'"));
        assertEquals(List.of(), SqlRows.strings(connection, "SELECT tgname::text FROM pg_trigger WHERE tgrelid = '" + EVENTS + "'::regclass "
                + "AND NOT tgisinternal"));
        assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".databasechangelog WHERE id = 'convert'"));
    }

    /** An insert, an update that moves a row to another month, a delete. */
    private static void writeSomeRows(Connection connection) throws Exception {
        SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (created, payload) VALUES (current_date, 'written later')",
                "UPDATE " + EVENTS + " SET created = created - 40, payload = payload || ' moved' WHERE id = (SELECT min(id) FROM " + EVENTS + ")",
                "DELETE FROM " + EVENTS + " WHERE id = (SELECT max(id) FROM " + EVENTS + " WHERE payload LIKE 'row %')");
    }

    private void rollback() {
        try {
            run(CHANGE_SETS).rollbackCount(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
