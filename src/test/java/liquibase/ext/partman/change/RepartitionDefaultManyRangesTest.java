package liquibase.ext.partman.change;

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
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * repartitionDefault over more ranges than one transaction may lock (issue 26): the rows go into
 * chunks, which the swap attaches, and split steps move them into their partitions. Writers change
 * rows of the moving days and a reader counts rows nobody touches throughout; a run is killed
 * between split steps and a rerun finishes. Nothing is timed here: the waits are the benchmark's.
 */
@Tag("slow")
class RepartitionDefaultManyRangesTest extends OwnSchemaTest {

    private static final String SCHEMA = "repartition_many";
    private static final String EVENTS = SCHEMA + ".events";
    private static final String MAINTENANCE_SETTING = "SELECT automatic_maintenance FROM partman.part_config WHERE parent_table = '"
            + EVENTS + "'";
    /** Far more ranges than the swap attaches one by one (a dozen with one index): issue 26's count. */
    private static final int DAYS = 1500;
    /** Rows with ids up to this, one a day, are never written: the reader counts them. */
    private static final int UNTOUCHED = DAYS;

    RepartitionDefaultManyRangesTest() {
        super(SCHEMA);
    }

    private static String table(String control, String type, String interval) {
        return """
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE events (id bigint NOT NULL, %1$s %2$s NOT NULL, payload text, PRIMARY KEY (id, %1$s))
                         PARTITION BY RANGE (%1$s)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="events" controlColumn="%1$s" interval="%3$s" premake="1"
                        automaticMaintenance="false"/>
                  </changeSet>
                """.formatted(control, type, interval);
    }

    private static final String DAILY = table("event_date", "date", "1 day");
    private static final String REPARTITION = """
              <changeSet id="repartition" author="test" runInTransaction="false">
                <partman:repartitionDefault tableName="events"/>
              </changeSet>
            """;

    @Test
    void fifteenHundredDailyRangesMoveCompletelyBesideWritersAndAReader() throws Exception {
        moveBesideTheApplication(false);
    }

    @Test
    void aRunKilledBetweenSplitStepsIsFinishedByARerun() throws Exception {
        moveBesideTheApplication(true);
    }

    /**
     * An hourly set over a hundred days: 2,400 ranges of a timestamptz column. With analyze="true" too: every new
     * partition is analyzed, and no session holds more than a few dozen locks at any moment (one ANALYZE of every new
     * partition in one transaction held two locks a partition until it ended).
     */
    @Test
    void hourlyRangesOverAHundredDaysMoveCompletelyAndAreAnalyzed() throws Exception {
        run(table("created_at", "timestamptz", "1 hour")).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " SELECT g, date_trunc('hour', now()) - interval '100 days' "
                    + "+ (g % 2400) * interval '1 hour' + interval '7 minutes', 'original' FROM generate_series(1, 24000) g");
            String before = SqlRows.fingerprint(connection, EVENTS);
            String partitionsBefore = (String) SqlRows.value(connection, "SELECT string_agg(inhrelid::text, ',') FROM pg_inherits WHERE inhparent = '"
                    + EVENTS + "'::regclass");
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Long> mostLocks = CompletableFuture.supplyAsync(() -> mostLocksOfOneSession(running));
            try {
                run(table("created_at", "timestamptz", "1 hour") + REPARTITION.replace("tableName=\"events\"",
                        "tableName=\"events\" analyze=\"true\"")).update();
            } finally {
                running.set(false);
            }
            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertMovedCompletely(connection, 2400);
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = '" + EVENTS + "'::regclass AND c.oid NOT IN (" + partitionsBefore + ") AND c.reltuples < 0"),
                    "new partitions never analyzed");
            long most = mostLocks.get(1, TimeUnit.MINUTES);
            assertTrue(most < 200, "a session held " + most + " locks at once");
        }
    }

    /** The most locks any other session held at once, sampled every 10 ms until running is false. */
    private static long mostLocksOfOneSession(AtomicBoolean running) {
        long most = 0;
        try (Connection sampling = TestDatabase.connect();
             PreparedStatement locks = sampling.prepareStatement("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM pg_locks "
                     + "WHERE pid <> pg_backend_pid() GROUP BY pid) s")) {
            while (running.get()) {
                try (ResultSet held = locks.executeQuery()) {
                    held.next();
                    most = Math.max(most, held.getLong(1));
                }
                Thread.sleep(10);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return most;
    }

    private void moveBesideTheApplication(boolean killBetweenSplitSteps) throws Exception {
        run(DAILY).update();
        Map<Long, String> expected = new ConcurrentHashMap<>();
        try (Connection connection = TestDatabase.connect()) {
            // Maintained as a set in use is: the move leaves it out of maintenance, and must give that back.
            SqlRows.execute(connection, "UPDATE partman.part_config SET automatic_maintenance = 'on' WHERE parent_table = '" + EVENTS + "'");
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " SELECT g, current_date - " + DAYS + " + g % " + DAYS
                    + ", 'original' FROM generate_series(1, " + 20 * DAYS + ") g");
            try (PreparedStatement rows = connection.prepareStatement("SELECT id, event_date::text || ' ' || payload FROM " + EVENTS);
                 ResultSet found = rows.executeQuery()) {
                while (found.next()) {
                    expected.put(found.getLong(1), found.getString(2));
                }
            }
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong writes = new AtomicLong();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int writer = 0; writer < 2; writer++) {
            int number = writer;
            clients.add(CompletableFuture.runAsync(() -> write(number, expected, running, failures, writes)));
        }
        clients.add(CompletableFuture.runAsync(() -> read(running, failures)));
        try (Connection connection = TestDatabase.connect()) {
            if (killBetweenSplitSteps) {
                CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                    try {
                        run(DAILY + REPARTITION).update();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                String mover = waitForSplitSteps(connection);
                SqlRows.execute(connection, "SELECT pg_terminate_backend(" + mover + ")");
                assertThrows(ExecutionException.class, () -> first.get(1, TimeUnit.MINUTES));
                SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
                assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = '" + EVENTS + "'::regclass AND c.relname LIKE 'partman_repartition_%_chunk_%'"),
                        "killed with chunks left to split");
                // pg_partman would take the newest chunk for a partition and fail to make the next one inside it, which
                // stops maintenance of every set: until the rerun this set is left out of maintenance.
                assertEquals("off", SqlRows.value(connection, MAINTENANCE_SETTING));
                SqlRows.execute(connection, "CALL partman.run_maintenance_proc()");
            }
            run(DAILY + REPARTITION).update();
        } finally {
            running.set(false);
            for (CompletableFuture<Void> client : clients) {
                client.get(1, TimeUnit.MINUTES);
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(writes.get() > 50, "writes during the move: " + writes.get());
        try (Connection connection = TestDatabase.connect()) {
            Map<Long, String> actual = new TreeMap<>();
            try (PreparedStatement rows = connection.prepareStatement("SELECT id, event_date::text || ' ' || payload FROM " + EVENTS);
                 ResultSet found = rows.executeQuery()) {
                while (found.next()) {
                    assertEquals(null, actual.put(found.getLong(1), found.getString(2)), "row " + found.getLong(1) + " twice");
                }
            }
            assertEquals(new TreeMap<>(expected), actual);
            assertMovedCompletely(connection, DAYS);
            assertEquals("on", SqlRows.value(connection, MAINTENANCE_SETTING));
        }
    }

    /**
     * The DEFAULT is empty, every range has its partition, no chunk or other object of a run is left, and
     * pg_partman's maintenance lock is free again.
     */
    private static void assertMovedCompletely(Connection connection, int ranges) throws SQLException {
        assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
        assertTrue(SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + EVENTS + "'::regclass") > ranges);
        RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
        assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND objid = (hashtext('pg_partman run_maintenance')::bigint & 4294967295)::oid"));
    }

    /** The pid of the move once its chunks are attached and a split step has attached partitions beside them. */
    private static String waitForSplitSteps(Connection connection) throws Exception {
        String chunks = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"
                + EVENTS + "'::regclass AND c.relname LIKE 'partman_repartition_%_chunk_%' ORDER BY 1";
        String partitions = "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + EVENTS + "'::regclass";
        long attached = -1;
        for (int i = 0; i < 12000; i++) {
            List<String> found = SqlRows.strings(connection, chunks);
            if (found.isEmpty()) {
                attached = -1;
            } else if (attached < 0) {
                attached = SqlRows.count(connection, partitions);
            } else if (SqlRows.count(connection, partitions) > attached) {
                return found.get(0).replaceAll("^partman_repartition_([0-9]+)_chunk_.*$", "$1");
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no split step within a minute");
    }

    /**
     * Inserts, updates (the payload, or the day, moving a row between ranges) and deletes rows of the moving
     * days through the parent, ids of its own only, keeping {@code expected} as the table should end.
     */
    private static void write(int writer, Map<Long, String> expected, AtomicBoolean running, List<String> failures, AtomicLong writes) {
        Random random = new Random(writer);
        long next = 1_000_000L * (writer + 1);
        try (Connection connection = TestDatabase.connect()) {
            String today = (String) SqlRows.value(connection, "SELECT current_date::text");
            java.time.LocalDate first = java.time.LocalDate.parse(today).minusDays(DAYS);
            while (running.get()) {
                java.time.LocalDate day = first.plusDays(random.nextInt(DAYS));
                int operation = random.nextInt(4);
                long id = operation == 0 ? next++ : UNTOUCHED + 1 + 2L * random.nextInt((20 * DAYS - UNTOUCHED) / 2) + writer;
                String was = expected.get(id);
                if (operation != 0 && was == null) {
                    continue;
                }
                String sql = switch (operation) {
                    case 0 -> "INSERT INTO " + EVENTS + " VALUES (" + id + ", '" + day + "', 'new')";
                    case 1 -> "UPDATE " + EVENTS + " SET payload = 'changed' WHERE " + key(id, was);
                    case 2 -> "UPDATE " + EVENTS + " SET event_date = '" + day + "' WHERE " + key(id, was);
                    default -> "DELETE FROM " + EVENTS + " WHERE " + key(id, was);
                };
                try {
                    SqlRows.execute(connection, sql);
                } catch (SQLException e) {
                    failures.add(sql + ": " + e.getMessage());
                    return;
                }
                switch (operation) {
                    case 0 -> expected.put(id, day + " new");
                    case 1 -> expected.put(id, was.substring(0, 10) + " changed");
                    case 2 -> expected.put(id, day + was.substring(10));
                    default -> expected.remove(id);
                }
                writes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add("writer " + writer + ": " + e.getMessage());
        }
    }

    /** The row's whole primary key, as an application writes it: only its partition is planned and locked. */
    private static String key(long id, String was) {
        return "id = " + id + " AND event_date = '" + was.substring(0, 10) + "'";
    }

    /** Counts the untouched rows, one a day, across every partition: always all of them. */
    private static void read(AtomicBoolean running, List<String> failures) {
        try (Connection connection = TestDatabase.connect()) {
            while (running.get()) {
                long found = SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS + " WHERE id <= " + UNTOUCHED);
                if (found != UNTOUCHED) {
                    failures.add("the reader counted " + found + " of " + UNTOUCHED + " rows");
                    return;
                }
                // Each count plans every partition: more often would leave the move little of the machine.
                Thread.sleep(50);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add("reader: " + e.getMessage());
        }
    }
}
