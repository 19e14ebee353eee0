package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * repartitionDefault on random tables (control type and sign, a key or none, columns without equality), beside
 * random writers (one of them, at random, in replica mode) and, at random, a kill of the move and a rerun, and a
 * second run that must be refused. Every write goes to the table and, in the same transaction, to a plain shadow
 * table: afterwards the two hold the same rows, the DEFAULT is empty and nothing of the run is left. No write may
 * fail: the writers touch rows of their own, so that they cannot fail each other.
 */
class RepartitionDefaultPropertyTest {

    private static final String SCHEMA = "repartition_property";
    private static final String TABLE = SCHEMA + ".events";
    private static final String SHADOW = SCHEMA + ".shadow";
    private static final int ROWS = 2000;

    @AfterAll
    static void dropSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
        }
    }

    /** The control column's type, and how a value and a step of it are written from a random number. */
    private record Control(String type, String interval, String start, String valueOf, String stepOf) {
        static final List<Control> ALL = List.of(
                new Control("date", "1 day", "current_date - 1", "current_date + %s", "%s"),
                new Control("timestamptz", "1 day", "current_date - 1", "current_date + %s * interval '1 day' + interval '7 hours'",
                        "%s * interval '1 day'"),
                new Control("bigint", "100", "0", "(%s * 100 - 700)", "%s * 100"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void theTableEndsAsTheWritesAloneWouldLeaveIt(int seed) throws Exception {
        Random random = new Random(seed);
        Control control = Control.ALL.get(seed % Control.ALL.size());
        boolean key = seed % 2 == 0;
        int batchSize = 50 + random.nextInt(400);
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            String columns = "n bigint NOT NULL, at " + control.type() + " NOT NULL, payload text, j json, pt point";
            SqlRows.execute(connection,
                    "CREATE TABLE " + TABLE + " (" + columns + (key ? ", PRIMARY KEY (n, at)" : "") + ") PARTITION BY RANGE (at)",
                    "CREATE TABLE " + SHADOW + " (" + columns + ")",
                    TestDatabase.createParentSql(TABLE, "at", control.interval(), "p_premake := 1",
                            "p_start_partition := (" + control.start() + ")::text"),
                    "UPDATE partman.part_config SET automatic_maintenance = 'off' WHERE parent_table = '" + TABLE + "'");
            for (String table : List.of(TABLE, SHADOW)) {
                // Days (or id ranges) 3 to 17 ahead, some far below the first partition; duplicate rows where there is no key.
                SqlRows.execute(connection, "INSERT INTO " + table + " SELECT g " + (key ? "" : "% 1900") + ", "
                        + control.valueOf().formatted("(3 + g % 15 - CASE WHEN g % 7 = 0 THEN 30 ELSE 0 END)")
                        + ", CASE WHEN g % 5 = 0 THEN NULL ELSE md5(g::text) END, json_build_object('g', g), point(g, -g) "
                        + "FROM generate_series(1, " + ROWS + ") g");
            }
            assertEquals(fingerprint(connection, SHADOW), fingerprint(connection, TABLE));

            AtomicBoolean running = new AtomicBoolean(true);
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            int replicaWriter = random.nextInt(3);
            for (int writer = 0; writer < 2; writer++) {
                int number = writer;
                writers.add(CompletableFuture.runAsync(() -> write(number, seed, control, number == replicaWriter, running, failures)));
            }
            try {
                Thread.sleep(100);
                if (random.nextBoolean()) {
                    try (Connection mover = TestDatabase.connect()) {
                        CompletableFuture<Void> killed = move(mover, batchSize);
                        Thread.sleep(20 + random.nextInt(400));
                        Object killedPid = pid(mover);
                        SqlRows.execute(connection, "SELECT pg_terminate_backend(" + killedPid + ")");
                        killed.handle((done, failure) -> null).get(1, TimeUnit.MINUTES);
                        // Its client sees the connection close before the backend has quite ended and let go of its run lock.
                        while (SqlRows.exists(connection, "SELECT 1 FROM pg_stat_activity WHERE pid = " + killedPid)) {
                            Thread.sleep(10);
                        }
                    }
                }
                try (Connection mover = TestDatabase.connect(); Connection second = TestDatabase.connect()) {
                    CompletableFuture<Void> moved = move(mover, batchSize);
                    Thread.sleep(random.nextInt(100));
                    // Two runs at the same time: whichever takes the run lock second is refused, naming the other,
                    // unless the first is done by then; never both.
                    String secondRefused = null;
                    try {
                        SqlRows.execute(second, script(second, batchSize));
                    } catch (SQLException refused) {
                        secondRefused = refused.getMessage();
                    }
                    String firstRefused = null;
                    try {
                        moved.get(2, TimeUnit.MINUTES);
                    } catch (ExecutionException refused) {
                        firstRefused = refused.getMessage();
                    }
                    if (secondRefused != null) {
                        assertTrue(secondRefused.contains("another repartitionDefault (backend " + pid(mover) + ")"), secondRefused);
                        assertEquals(null, firstRefused);
                    } else if (firstRefused != null) {
                        assertTrue(firstRefused.contains("another repartitionDefault (backend " + pid(second) + ")"), firstRefused);
                    }
                }
                Thread.sleep(100);
            } finally {
                running.set(false);
                for (CompletableFuture<Void> writer : writers) {
                    writer.get(1, TimeUnit.MINUTES);
                }
            }
            assertEquals(List.of(), failures);
            // Rows that arrived for ranges not planned are in the new DEFAULT after the last pass; one more run moves them.
            SqlRows.execute(connection, script(connection, batchSize));
            assertEquals(fingerprint(connection, SHADOW), fingerprint(connection, TABLE), "seed " + seed + ": " + control.type()
                    + (key ? " with" : " without") + " a key, batchSize " + batchSize + "; only in the table: " + difference(connection, TABLE, SHADOW)
                    + "; only in the shadow: " + difference(connection, SHADOW, TABLE));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + TABLE + "_default"));
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    private static String fingerprint(Connection connection, String table) throws SQLException {
        return (String) SqlRows.value(connection, "SELECT count(*) || ':' || coalesce(md5(string_agg(r, ',' ORDER BY r)), '-') "
                + "FROM (SELECT md5(ROW(n, at, payload, j, pt)::text) AS r FROM " + table + ") t");
    }

    private static List<String> difference(Connection connection, String from, String without) throws SQLException {
        return SqlRows.strings(connection, "SELECT r FROM (SELECT ROW(n, at, payload, j, pt)::text AS r FROM " + from + " EXCEPT ALL "
                + "SELECT ROW(n, at, payload, j, pt)::text FROM " + without + ") d ORDER BY 1 LIMIT 5");
    }

    private static Object pid(Connection connection) throws SQLException {
        return SqlRows.value(connection, "SELECT pg_backend_pid()");
    }

    private static String script(Connection connection, int batchSize) throws Exception {
        return RepartitionDefaultTest.generatedSql(connection, SCHEMA, "events", batchSize);
    }

    private static CompletableFuture<Void> move(Connection mover, int batchSize) throws Exception {
        String sql = script(mover, batchSize);
        return CompletableFuture.runAsync(() -> {
            try {
                SqlRows.execute(mover, sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Random writes, each to the table and to the shadow in one transaction. */
    private static void write(int number, int seed, Control control, boolean replica, AtomicBoolean running, List<String> failures) {
        Random random = new Random(seed * 31L + number);
        long next = 1_000_000L * (number + 1);
        try (Connection connection = TestDatabase.connect()) {
            if (replica) {
                SqlRows.execute(connection, "SET session_replication_role = replica");
            }
            connection.setAutoCommit(false);
            while (running.get()) {
                int op = random.nextInt(5);
                // Each writer changes its own rows only: two writers' updates of one row, one of them moving it to
                // another partition, fail the other on any partitioned table ("tuple to be locked was already moved to
                // another partition"), with or without a move beside them.
                long n = op == 0 ? next++ : 1 + number + 2L * random.nextInt(ROWS / 2);
                String value = control.valueOf().formatted(op == 0 && random.nextInt(10) == 0 ? 40 : 3 + random.nextInt(15));
                String payload = random.nextInt(4) == 0 ? null : "w" + number + "-" + random.nextInt(1000);
                String step = control.stepOf().formatted(1 + random.nextInt(2));
                try {
                    for (String table : List.of(TABLE, SHADOW)) {
                        String sql = switch (op) {
                            case 0 -> "INSERT INTO " + table + " VALUES (?, " + value + ", ?, json_build_object('w', ?::text), point(1, 2))";
                            case 1, 2 -> "UPDATE " + table + " SET payload = ?, j = json_build_object('w', ?::text) WHERE n = ?";
                            case 3 -> "UPDATE " + table + " SET at = at + " + step + " WHERE n = ?";
                            default -> "DELETE FROM " + table + " WHERE n = ?";
                        };
                        try (PreparedStatement statement = connection.prepareStatement(sql)) {
                            switch (op) {
                                case 0 -> {
                                    statement.setLong(1, n);
                                    statement.setString(2, payload);
                                    statement.setString(3, payload);
                                }
                                case 1, 2 -> {
                                    statement.setString(1, payload);
                                    statement.setString(2, payload);
                                    statement.setLong(3, n);
                                }
                                default -> statement.setLong(1, n);
                            }
                            statement.executeUpdate();
                        }
                    }
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    failures.add("writer " + number + (replica ? " (replica mode)" : "") + " op " + op + ": " + e.getMessage());
                }
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add("writer " + number + ": " + e.getMessage());
        }
    }
}
