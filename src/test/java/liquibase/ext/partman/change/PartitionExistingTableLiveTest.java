package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.SqlRows.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable beside a running application: writers inserting, updating (across
 * partitions too) and deleting, one of them in replica mode, and a reader, while the table is
 * converted and then rolled back; and runs killed at two points, each leaving the plain table as it
 * was, and a rerun finishing. Waits are recorded and printed, never asserted.
 */
class PartitionExistingTableLiveTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_live";
    private static final String EVENTS = SCHEMA + ".events";
    private static final int STABLE_ROWS = 10_000;
    private static final String RUNNER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "
            + "AND classid = (hashtext('liquibase-partman partitionExistingTable')::bigint & 4294967295)::oid";
    private static final String HELD_RUNNER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted";

    PartitionExistingTableLiveTest() {
        super(SCHEMA);
    }

    /** 10,000 rows no writer touches ('stable') and 10,000 the writers may, over 14 months; a row 'hold' can stop a copy. */
    private static final String TABLE = """
              <changeSet id="plain" author="test">
                <sql splitStatements="false">CREATE FUNCTION hold(p text) RETURNS boolean LANGUAGE sql
                       AS $$ SELECT p IS DISTINCT FROM 'hold' OR (SELECT true FROM pg_advisory_xact_lock_shared(4242)) $$</sql>
                <sql>CREATE TABLE events (id bigserial, created date NOT NULL, payload text NOT NULL CHECK (hold(payload)),
                       PRIMARY KEY (id, created))</sql>
                <sql>INSERT INTO events (created, payload)
                       SELECT current_date - (g % 420), CASE WHEN g &lt;= 10000 THEN 'stable ' ELSE 'mutable ' END || g
                       FROM generate_series(1, 20000) g</sql>
              </changeSet>
            """;
    private static final String CONVERT = """
              <changeSet id="convert" author="test" runInTransaction="false">
                <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month" premake="2" batchSize="1000"/>
              </changeSet>
            """;

    @Test
    void writersAndAReaderKeepWorkingThroughConversionAndRollback() throws Exception {
        run(TABLE).update();
        Map<Long, String> model = new ConcurrentHashMap<>();
        try (Connection connection = TestDatabase.connect()) {
            for (Map<String, Object> row : SqlRows.query(connection, "SELECT id, created::text || '|' || payload AS v FROM " + EVENTS)) {
                model.put((Long) row.get("id"), (String) row.get("v"));
            }
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Long> writeWaits = Collections.synchronizedList(new ArrayList<>());
        List<Long> readWaits = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(false, 1, model, running, failures, writeWaits));
        CompletableFuture<Void> replicaWriter = CompletableFuture.runAsync(() -> write(true, 2, model, running, failures, writeWaits));
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> read(running, failures, readWaits));
        try {
            Thread.sleep(300);
            run(TABLE + CONVERT).update();
            try (Connection connection = TestDatabase.connect()) {
                assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            }
            Thread.sleep(500);
            run(TABLE + CONVERT).rollbackCount(1);
            Thread.sleep(300);
        } finally {
            running.set(false);
            CompletableFuture.allOf(writer, replicaWriter, reader).get(1, TimeUnit.MINUTES);
        }
        assertEquals(List.of(), failures, "no write refused, no row missed or doubled");
        System.out.printf("partitionExistingTable live: %d writes, longest %d ms; %d reads, longest %d ms%n",
                writeWaits.size(), Collections.max(writeWaits), readWaits.size(), Collections.max(readWaits));
        try (Connection connection = TestDatabase.connect()) {
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            Map<Long, String> actual = new TreeMap<>();
            for (Map<String, Object> row : SqlRows.query(connection, "SELECT id, created::text || '|' || payload AS v FROM " + EVENTS)) {
                actual.put((Long) row.get("id"), (String) row.get("v"));
            }
            assertEquals(new TreeMap<>(model), actual, "every write, made before, during and after the conversion and its rollback");
        }
    }

    /** Inserts, moves rows to an older month and deletes, on ids no other writer touches (odd or even), through prepared statements. */
    private static void write(boolean replica, int parity, Map<Long, String> model, AtomicBoolean running, List<String> failures,
                              List<Long> waits) {
        Random random = new Random(parity);
        try (Connection connection = TestDatabase.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + EVENTS + " (id, created, payload) "
                     + "VALUES (?, current_date - ?, ?) RETURNING id, created::text || '|' || payload");
             PreparedStatement update = connection.prepareStatement("UPDATE " + EVENTS + " SET created = created - 31, payload = ? "
                     + "WHERE id = ? RETURNING created::text || '|' || payload");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + EVENTS + " WHERE id = ?")) {
            if (replica) {
                SqlRows.execute(connection, "SET session_replication_role = replica");
            }
            long next = 1_000_000L * parity;
            for (int n = 0; running.get(); n++) {
                long start = System.nanoTime();
                try {
                    if (n % 3 == 0) {
                        insert.setLong(1, next++);
                        insert.setInt(2, random.nextInt(400));
                        insert.setString(3, "written " + n);
                        try (ResultSet rs = insert.executeQuery()) {
                            rs.next();
                            model.put(rs.getLong(1), rs.getString(2));
                        }
                    } else {
                        long id = STABLE_ROWS + 1 + 2 * random.nextInt(5000) + (parity - 1);
                        if (!model.containsKey(id)) {
                            continue;
                        }
                        if (n % 3 == 1) {
                            update.setString(1, "updated " + n);
                            update.setLong(2, id);
                            try (ResultSet rs = update.executeQuery()) {
                                if (rs.next()) {
                                    model.put(id, rs.getString(1));
                                }
                            }
                        } else {
                            delete.setLong(1, id);
                            delete.executeUpdate();
                            model.remove(id);
                        }
                    }
                } catch (SQLException e) {
                    failures.add((replica ? "replica writer: " : "writer: ") + e.getMessage());
                }
                waits.add((System.nanoTime() - start) / 1_000_000);
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add(e.toString());
        }
    }

    /** The stable rows, each exactly once, whenever it looks. */
    private static void read(AtomicBoolean running, List<String> failures, List<Long> waits) {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement count = connection.prepareStatement("SELECT count(*), count(DISTINCT id) FROM " + EVENTS
                     + " WHERE payload LIKE 'stable %'")) {
            while (running.get()) {
                long start = System.nanoTime();
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != STABLE_ROWS || rs.getLong(2) != STABLE_ROWS) {
                        failures.add("reader saw " + rs.getLong(1) + " stable rows, " + rs.getLong(2) + " distinct");
                    }
                } catch (SQLException e) {
                    failures.add("reader: " + e.getMessage());
                }
                waits.add((System.nanoTime() - start) / 1_000_000);
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add(e.toString());
        }
    }

    /**
     * Killed while copy 3 waits (copies 1 and 2 committed): the plain table is as it was and takes
     * writes, the killed run's trigger logs them until the rerun removes it and finishes.
     */
    @Test
    void killedDuringTheCopyLeavesThePlainTableAndARerunFinishes() throws Exception {
        run(TABLE).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            SqlRows.execute(connection, "UPDATE " + EVENTS + " SET payload = 'hold' WHERE id = 2500");
            String before = SqlRows.fingerprint(connection, EVENTS);
            SqlRows.execute(holder, "SELECT pg_advisory_lock(4242)");
            CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> update(TABLE + CONVERT));
            waitFor(connection, HELD_RUNNER);
            assertEquals(2000L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS + "_partman_new"), "copies 1 and 2 committed");
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, HELD_RUNNER) + ")");
            assertThrows(ExecutionException.class, () -> firstRun.get(1, TimeUnit.MINUTES));
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");

            assertKeptAsItWas(connection, before);
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(TABLE + CONVERT).update();
            assertConverted(connection, 20_001L);
        }
    }

    /** Killed while its swap waits for a session holding the table: the same. */
    @Test
    void killedWaitingForTheSwapLeavesThePlainTableAndARerunFinishes() throws Exception {
        run(TABLE).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            String before = SqlRows.fingerprint(connection, EVENTS);
            holder.setAutoCommit(false);
            SqlRows.execute(holder, "LOCK TABLE " + EVENTS + " IN ACCESS SHARE MODE");
            CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> update(TABLE + CONVERT));
            waitFor(connection, "SELECT 1 FROM pg_locks WHERE relation = '" + EVENTS + "'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted");
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, RUNNER) + ")");
            assertThrows(ExecutionException.class, () -> firstRun.get(1, TimeUnit.MINUTES));
            holder.rollback();

            assertKeptAsItWas(connection, before);
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(TABLE + CONVERT).update();
            assertConverted(connection, 20_001L);
        }
    }

    /**
     * A run killed after its swap committed, before Liquibase recorded the changeset (its row is deleted here, and
     * its log left as the kill would leave it): the rerun finds the table converted, removes the log and is recorded.
     */
    @Test
    void killedAfterItsSwapTheRerunFindsTheTableConverted() throws Exception {
        run(TABLE + CONVERT).update();
        try (Connection connection = TestDatabase.connect()) {
            String converted = SqlRows.fingerprint(connection, EVENTS);
            SqlRows.execute(connection, "DELETE FROM " + SCHEMA + ".databasechangelog WHERE id = 'convert'",
                    "CREATE UNLOGGED TABLE " + SCHEMA + ".events_partman_log (partman_entry bigserial PRIMARY KEY, "
                            + "partman_delta smallint NOT NULL, partman_row text NOT NULL)");
            run(TABLE + CONVERT).update();
            assertEquals(converted, SqlRows.fingerprint(connection, EVENTS));
            assertEquals(1L, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".databasechangelog WHERE id = 'convert'"));
            assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relname = 'events_partman_log'"));
            assertConverted(connection, 20_000L);
            run(TABLE + CONVERT).rollbackCount(1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(converted, SqlRows.fingerprint(connection, EVENTS));
        }
    }

    private void update(String changeSets) {
        try {
            run(changeSets).update();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertKeptAsItWas(Connection connection, String before) throws Exception {
        waitFor(connection, "SELECT 1 WHERE NOT EXISTS (" + RUNNER + ")");
        assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
        assertEquals(List.of("partman_log", "partman_log_truncate"), SqlRows.strings(connection, "SELECT tgname FROM pg_trigger "
                + "WHERE tgrelid = '" + EVENTS + "'::regclass AND NOT tgisinternal ORDER BY 1"), "the killed run's trigger stays until a rerun");
        SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (created, payload) VALUES (current_date, 'after the kill')",
                "UPDATE " + EVENTS + " SET payload = 'changed after the kill' WHERE id = 15000");
    }

    private static void assertConverted(Connection connection, long rows) throws Exception {
        assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
        assertEquals(SqlRows.fingerprint(connection, SCHEMA + ".events_partman_old"), SqlRows.fingerprint(connection, EVENTS));
        assertEquals(rows, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
        if (rows > 20_000L) {
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + EVENTS + " WHERE id = 15000 AND payload = 'changed after the kill'"));
        }
        assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
        assertEquals(List.of("partman_back", "partman_back_truncate"), SqlRows.strings(connection, "SELECT tgname FROM pg_trigger "
                + "WHERE tgrelid = '" + EVENTS + "'::regclass ORDER BY 1"));
        assertEquals(List.of("id", "created", "payload"), SqlRows.strings(connection, "SELECT attname FROM pg_attribute "
                + "WHERE attrelid = '" + EVENTS + "_partman_cols'::regclass AND attnum > 0 ORDER BY attnum"), "the view keeping the write-back's columns");
    }
}
