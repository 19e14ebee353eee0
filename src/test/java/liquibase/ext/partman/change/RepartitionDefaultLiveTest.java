package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ext.partman.version.ExtensionVersion;

/**
 * repartitionDefault in a live system (issue 10): holes filled as maintenance would, maintenance
 * running beside it every 0.2 s, an application writing into the very days being moved, a huge
 * day copied in several transactions. Nothing here is timed: waits are recorded and compared with
 * generous bounds only where a wait is the point (maintenance must not hang behind the move).
 */
class RepartitionDefaultLiveTest {

    private static final String SCHEMA = "repartition_live";
    private static final String EVENTS = SCHEMA + ".events";
    /** The database's current_date, for the writers' bookkeeping. */
    private static volatile LocalDate today;

    @BeforeEach
    void cleanSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
        }
    }

    private static String table(int premake, boolean automaticMaintenance) {
        return table("id bigint NOT NULL, event_date date NOT NULL, payload text, PRIMARY KEY (id, event_date)", "event_date",
                premake, automaticMaintenance);
    }

    /** Table events with these columns, partitioned by day on control and registered with pg_partman. */
    private static String table(String columns, String control, int premake, boolean automaticMaintenance) {
        return """
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE events (%s) PARTITION BY RANGE (%s)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="events" controlColumn="%s" interval="1 day" premake="%d"
                        automaticMaintenance="%s"/>
                  </changeSet>
                """.formatted(columns, control, control, premake, automaticMaintenance);
    }

    private static LiquibaseRun run(String changeSets) {
        return LiquibaseRun.of("changelog.xml", xmlChangeLog(changeSets), TestDatabase.url(), SCHEMA);
    }

    private static String repartition(String attributes) {
        return """
                  <changeSet id="repartition" author="test" runInTransaction="false">
                    <partman:repartitionDefault tableName="events" %s/>
                  </changeSet>
                """.formatted(attributes);
    }

    /**
     * Issue 10's holes: partitions up to day +4 with day +2 dropped, rows for days +8 to +12 in the
     * DEFAULT. The precondition names the holes; afterwards every day from today to +12 has its
     * partition, with the privileges maintenance gives, and a row for each day lands in one.
     */
    @Test
    void holesAreFilledAsMaintenanceWouldAndReportedUntilThen() throws Exception {
        run(table(4, false)).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "DROP ROLE IF EXISTS repartition_live_reader", "CREATE ROLE repartition_live_reader",
                    "GRANT SELECT ON " + EVENTS + " TO repartition_live_reader",
                    "UPDATE partman.part_config SET inherit_privileges = true WHERE parent_table = '" + EVENTS + "'",
                    "DROP TABLE " + SCHEMA + "." + dayPartition(connection, 2),
                    "INSERT INTO " + EVENTS + " SELECT g, current_date + 8 + g % 5, 'x' FROM generate_series(1, 50) g");
            String guarded = """
                      <changeSet id="guarded" author="test">
                        <preConditions onFail="HALT"><partman:defaultPartitionEmpty tableName="events"/></preConditions>
                        <sql>SELECT 1</sql>
                      </changeSet>
                    """;
            Exception halted = assertThrows(Exception.class, () -> run(table(4, false) + guarded).update());
            assertTrue(Failures.messages(halted).contains(EVENTS + "_default: 50 rows"), Failures.messages(halted));
            assertTrue(Failures.messages(halted).contains(EVENTS + ": no partition for event_date from "
                    + SqlRows.value(connection, "SELECT (current_date + 2)::text")), Failures.messages(halted));
            String before = SqlRows.fingerprint(connection, EVENTS);

            run(table(4, false) + repartition("batchSize=\"20\"") + guarded).update();

            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            for (int day = 0; day <= 12; day++) {
                assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits WHERE inhparent = '" + EVENTS + "'::regclass "
                        + "AND inhrelid = to_regclass('" + SCHEMA + "." + dayPartition(connection, day) + "')"), "day +" + day);
            }
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM information_schema.role_table_grants WHERE grantee = 'repartition_live_reader' "
                    + "AND table_name = '" + dayPartition(connection, 5) + "' AND privilege_type = 'SELECT'"), "a hole gets the parent's grants");
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " SELECT 1000 + d, current_date + d, 'later' FROM generate_series(0, 12) d");
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"), "a row for every day lands in a partition");
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
            SqlRows.execute(connection, "DROP OWNED BY repartition_live_reader", "DROP ROLE repartition_live_reader");
        }
    }

    /** With fillGaps="false" only days that have rows get partitions: the old behaviour, for whoever wants it. */
    @Test
    void fillGapsFalseCreatesOnlyTheDaysThatHaveRows() throws Exception {
        run(table(1, false)).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " SELECT g, current_date + 5 + g % 2, 'x' FROM generate_series(1, 10) g");
            run(table(1, false) + repartition("fillGaps=\"false\"")).update();
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            for (int day = 3; day <= 6; day++) {
                assertEquals(day >= 5, SqlRows.exists(connection, "SELECT 1 WHERE to_regclass('" + SCHEMA + "." + dayPartition(connection, day) + "') IS NOT NULL"), "day +" + day);
            }
        }
    }

    /**
     * A session calls run_maintenance_proc() every 0.2 s while a move of many copies runs, with
     * premake raised so that maintenance wants to create some of the very partitions the move
     * creates (the holes before the rows). Where pg_cron takes seconds, a real job every second
     * runs too. Both finish; no maintenance call fails or waits more than 5 s. On pg_partman 4.7
     * maintenance fails while the DEFAULT holds rows of a range it creates (the incident itself:
     * 4.7 extends from the largest value in the table, DEFAULT included), until the move has
     * created those partitions or attached the chunks that hold their rows: so there the loop starts once the
     * DEFAULT is empty.
     */
    @Test
    void maintenanceEveryFifthOfASecondBesideAMoveOfManyCopies() throws Exception {
        run(table(1, true)).update();
        try (Connection connection = TestDatabase.connect(); Connection maintenance = TestDatabase.connect()) {
            boolean cronSeconds = ExtensionVersion.parse((String) SqlRows.value(connection,
                    "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")).atLeast(1, 5);
            SqlRows.execute(connection,
                    "INSERT INTO " + EVENTS + " SELECT g, current_date + 12 + g % 20, md5(g::text) FROM generate_series(1, 20000) g",
                    "UPDATE partman.part_config SET premake = 10 WHERE parent_table = '" + EVENTS + "'");
            // run_maintenance_proc() maintains every set of the database: a set another test class left
            // with rows in its DEFAULT on purpose would fail each call on pg_partman 4.7, which is not
            // what this test is about.
            SqlRows.execute(connection, "UPDATE partman.part_config SET automatic_maintenance = 'off' "
                    + "WHERE parent_table NOT LIKE '" + SCHEMA + ".%'");
            String before = SqlRows.fingerprint(connection, EVENTS);
            if (cronSeconds) {
                SqlRows.execute(connection, "SELECT cron.schedule('repartition-live-maintenance', '1 seconds', 'CALL partman.run_maintenance_proc()')");
            }
            AtomicBoolean running = new AtomicBoolean(true);
            List<Double> waits = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            boolean incidentFailsMaintenance = !TestDatabase.partmanVersion().atLeast(5, 0);
            CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
                if (incidentFailsMaintenance) {
                    awaitEmptyDefault(running);
                }
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        SqlRows.execute(maintenance, "CALL partman.run_maintenance_proc()");
                    } catch (SQLException e) {
                        failures.add(e.getMessage());
                    }
                    waits.add((System.nanoTime() - start) / 1e9);
                    sleep(200);
                }
            });
            try {
                run(table(1, true) + repartition("batchSize=\"1500\"")).update();
            } finally {
                running.set(false);
                loop.get(1, TimeUnit.MINUTES);
                if (cronSeconds) {
                    SqlRows.execute(connection, "SELECT cron.unschedule('repartition-live-maintenance')");
                }
            }
            assertEquals(List.of(), failures);
            assertTrue(!waits.isEmpty(), "maintenance ran during the move: " + waits.size());
            assertTrue(Collections.max(waits) < 5, "longest maintenance call " + Collections.max(waits) + " s");
            if (cronSeconds) {
                assertEquals(List.of(), SqlRows.strings(connection, "SELECT d.return_message FROM cron.job_run_details d "
                        + "JOIN cron.job j USING (jobid) WHERE j.jobname = 'repartition-live-maintenance' AND d.status = 'failed'"));
                SqlRows.execute(connection, "DELETE FROM cron.job_run_details WHERE command = 'CALL partman.run_maintenance_proc()'");
            }
            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            SqlRows.execute(connection, "CALL partman.run_maintenance_proc()");
            for (int day = 0; day <= 31; day++) {
                assertTrue(SqlRows.exists(connection, "SELECT 1 WHERE to_regclass('" + SCHEMA + "." + dayPartition(connection, day) + "') IS NOT NULL"), "day +" + day);
            }
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
            SqlRows.execute(connection, "UPDATE partman.part_config SET automatic_maintenance = 'off' WHERE parent_table = '" + EVENTS + "'");
        }
    }

    /**
     * Two application sessions insert, upsert (INSERT ... ON CONFLICT on the primary key), update
     * (also the primary key, and the day, moving a row between slices and ranges) and delete rows
     * of the days being moved, through the parent, while the move runs; a reader
     * counts rows nobody touches. No write fails or misses its row, the reader always counts them
     * all, and the table ends exactly as the writes left it.
     */
    @Test
    void writersIntoTheMovingDaysAreNeverRefused() throws Exception {
        moveWhileTheApplicationWrites(false);
    }

    /** The same, with the move's backend killed after its first copies and a rerun that finishes. */
    @Test
    void writersIntoTheMovingDaysAreNeverRefusedAcrossAKilledRunAndARerun() throws Exception {
        moveWhileTheApplicationWrites(true);
    }

    private void moveWhileTheApplicationWrites(boolean killFirstRun) throws Exception {
        run(table(1, false)).update();
        Map<Long, String> expected = new ConcurrentHashMap<>();
        try (Connection connection = TestDatabase.connect()) {
            today = LocalDate.parse((String) SqlRows.value(connection, "SELECT current_date::text"));
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " SELECT g, current_date + 3 + g % 20, 'original' FROM generate_series(1, 20000) g");
            for (long id = 1; id <= 20000; id++) {
                expected.put(id, today.plusDays(3 + id % 20) + " original");
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
        // 1000 rows a day, batchSize 300: every day is cut by the primary key, whose values writers change too.
        String changeSets = table(1, false) + repartition("batchSize=\"300\"");
        try (Connection connection = TestDatabase.connect()) {
            sleep(300);
            if (killFirstRun) {
                CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                    try {
                        run(changeSets).update();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                String mover = waitForStagedRows(connection);
                SqlRows.execute(connection, "SELECT pg_terminate_backend(" + mover + ")");
                assertThrows(ExecutionException.class, () -> first.get(1, TimeUnit.MINUTES));
                assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_trigger WHERE tgname = 'partman_repartition_" + mover + "'"),
                        "killed before its swap");
                sleep(300);
                SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            }
            run(changeSets).update();
            sleep(300);
        } finally {
            running.set(false);
            for (CompletableFuture<Void> client : clients) {
                client.get(1, TimeUnit.MINUTES);
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(writes.get() > 50, "writes during the move: " + writes.get());
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            Map<Long, String> actual = new TreeMap<>();
            try (PreparedStatement rows = connection.prepareStatement("SELECT id, event_date::text || ' ' || payload FROM " + EVENTS);
                 ResultSet found = rows.executeQuery()) {
                while (found.next()) {
                    assertEquals(null, actual.put(found.getLong(1), found.getString(2)), "row " + found.getLong(1) + " twice");
                }
            }
            assertEquals(new TreeMap<>(expected), actual);
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /** Returns once the move has created its partitions (beside the table), or stopped. */
    private static void awaitEmptyDefault(AtomicBoolean running) {
        try (Connection connection = TestDatabase.connect()) {
            while (running.get() && SqlRows.exists(connection, "SELECT 1 FROM ONLY " + EVENTS + "_default")) {
                sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pid of the move once it has committed a copy to its partitions. */
    private static String waitForStagedRows(Connection connection) throws Exception {
        for (int i = 0; i < 3000; i++) {
            for (String run : SqlRows.strings(connection, "SELECT DISTINCT obj_description(oid, 'pg_constraint') FROM pg_constraint "
                    + "WHERE conname = 'partman_repartition_bounds' AND connamespace = '" + SCHEMA + "'::regnamespace")) {
                if (run != null && RepartitionDefaultTest.copiedRows(connection, run) > 0) {
                    return run.substring("partman_repartition_".length());
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the move never staged a row");
    }

    /**
     * Writer number n owns the ids congruent to n mod 2, so that its writes' effects are known:
     * each op's result is recorded in expected, and a write that fails or changes no row is a failure.
     */
    private static void write(int number, Map<Long, String> expected, AtomicBoolean running, List<String> failures, AtomicLong writes) {
        Random random = new Random(number);
        long nextNew = 1_000_000L * (number + 1);
        try (Connection connection = TestDatabase.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + EVENTS + " VALUES (?, current_date + ?, ?)");
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + EVENTS + " VALUES (?, ?::date, ?) "
                     + "ON CONFLICT (id, event_date) DO UPDATE SET payload = EXCLUDED.payload");
             PreparedStatement update = connection.prepareStatement("UPDATE " + EVENTS + " SET payload = ? WHERE id = ? AND event_date = ?::date");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + EVENTS + " WHERE id = ? AND event_date = ?::date");
             PreparedStatement renumber = connection.prepareStatement("UPDATE " + EVENTS + " SET id = ? WHERE id = ? AND event_date = ?::date");
             PreparedStatement postpone = connection.prepareStatement("UPDATE " + EVENTS + " SET event_date = event_date + 1 "
                     + "WHERE id = ? AND event_date = ?::date")) {
            while (running.get()) {
                long id = 1001 + 2L * random.nextInt(9000) + number;
                String row = expected.get(id);
                String payload = "w" + number + "-" + writes.incrementAndGet();
                int op = random.nextInt(6);
                try {
                    if (op == 0 || row == null) {
                        int day = 3 + random.nextInt(20);
                        long newId = nextNew++;
                        insert.setLong(1, newId);
                        insert.setInt(2, day);
                        insert.setString(3, payload);
                        check(insert.executeUpdate(), "insert " + newId, failures);
                        expected.put(newId, today.plusDays(day) + " " + payload);
                    } else {
                        String date = row.substring(0, 10);
                        if (op == 1) {
                            upsert.setLong(1, id);
                            upsert.setString(2, date);
                            upsert.setString(3, payload);
                            check(upsert.executeUpdate(), "upsert " + id, failures);
                            expected.put(id, date + " " + payload);
                        } else if (op == 2) {
                            update.setString(1, payload);
                            update.setLong(2, id);
                            update.setString(3, date);
                            check(update.executeUpdate(), "update " + id, failures);
                            expected.put(id, date + " " + payload);
                        } else if (op == 4) {
                            long newId = nextNew++;
                            renumber.setLong(1, newId);
                            renumber.setLong(2, id);
                            renumber.setString(3, date);
                            check(renumber.executeUpdate(), "renumber " + id, failures);
                            expected.remove(id);
                            expected.put(newId, row);
                        } else if (op == 5) {
                            postpone.setLong(1, id);
                            postpone.setString(2, date);
                            check(postpone.executeUpdate(), "postpone " + id, failures);
                            expected.put(id, LocalDate.parse(date).plusDays(1) + row.substring(10));
                        } else {
                            delete.setLong(1, id);
                            delete.setString(2, date);
                            check(delete.executeUpdate(), "delete " + id, failures);
                            expected.remove(id);
                        }
                    }
                } catch (SQLException e) {
                    failures.add("writer " + number + " op " + op + ": " + e.getMessage());
                }
                sleep(3);
            }
        } catch (SQLException e) {
            failures.add("writer " + number + ": " + e.getMessage());
        }
    }

    private static void check(int rows, String what, List<String> failures) {
        if (rows != 1) {
            failures.add(what + " changed " + rows + " rows");
        }
    }

    /** Counts the rows with ids 1 to 1000, which no writer touches: 1000 every time. */
    private static void read(AtomicBoolean running, List<String> failures) {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + EVENTS + " WHERE id <= ?")) {
            count.setLong(1, 1000);
            while (running.get()) {
                try (ResultSet found = count.executeQuery()) {
                    found.next();
                    if (found.getLong(1) != 1000) {
                        failures.add("the reader counted " + found.getLong(1) + " of 1000 rows");
                    }
                }
                sleep(5);
            }
        } catch (SQLException e) {
            failures.add("reader: " + e.getMessage());
        }
    }

    /**
     * The new partitions get the parent's replica identity where that pg_partman's create_partition
     * gives it (5.1 on), and keep the default where it does not (4.7, 5.0).
     */
    @Test
    void newPartitionsGetTheParentsReplicaIdentityAsPartmanGivesIt() throws Exception {
        run(table(1, false)).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "ALTER TABLE " + EVENTS + " REPLICA IDENTITY FULL",
                    "INSERT INTO " + EVENTS + " SELECT g, current_date + 3 + g % 2, 'x' FROM generate_series(1, 10) g");
            run(table(1, false) + repartition("")).update();
            String expected = TestDatabase.partmanVersion().atLeast(5, 1) ? "f" : "d";
            for (int day = 3; day <= 4; day++) {
                assertEquals(expected, SqlRows.value(connection, "SELECT relreplident::text FROM pg_class WHERE oid = '"
                        + SCHEMA + "." + dayPartition(connection, day) + "'::regclass"), "day " + day);
            }
        }
    }

    /**
     * PostgreSQL 17 gives partitioned tables identity columns (GENERATED ALWAYS): the rows keep
     * their values, cut by batchSize 1 too. Before 17 the same table uses bigserial.
     */
    @Test
    void identityValuesStayAsTheyWere() throws Exception {
        String id;
        try (Connection connection = TestDatabase.connect()) {
            id = SqlRows.count(connection, "SELECT current_setting('server_version_num')::int") >= 170000
                    ? "bigint GENERATED ALWAYS AS IDENTITY" : "bigserial";
        }
        String table = table("id " + id + ", event_date date NOT NULL, payload text, PRIMARY KEY (id, event_date)", "event_date", 1, false);
        run(table).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (event_date, payload) SELECT current_date + 3 + g % 2, md5(g::text) "
                    + "FROM generate_series(1, 6) g");
            String before = SqlRows.fingerprint(connection, EVENTS);
            run(table + repartition("batchSize=\"1\"")).update();
            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertEquals(6, SqlRows.count(connection, "SELECT count(DISTINCT xmin::text) FROM " + EVENTS), "one row per copy");
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /**
     * One day with 5,000 rows and batchSize 1000: the day is cut every 1000 rows in the order of
     * the primary key and copied in several transactions (the rows' xmin tells them apart), every
     * row once.
     */
    @Test
    void aHugeDayIsCopiedInSeveralTransactions() throws Exception {
        assertHugeDayCopiedInSeveralTransactions("created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at)", "created_at",
                "SELECT g, date_trunc('day', now()) + interval '3 days' + g * interval '10 seconds' FROM generate_series(1, 5000) g");
    }

    /** A date column has one value per day: the primary key alone cuts the day. */
    @Test
    void aHugeDateIsCutByThePrimaryKey() throws Exception {
        assertHugeDayCopiedInSeveralTransactions("created_on date NOT NULL, payload text, PRIMARY KEY (created_on, id)", "created_on",
                "SELECT g, current_date + 3, md5(g::text) FROM generate_series(1, 5000) g");
    }

    /**
     * Without a primary key or unique index, the whole row cuts the day: NULLs, a column without
     * ordering (json) and rows that are exact copies of each other (which stay in one slice) too.
     */
    @Test
    void aHugeDateWithoutAKeyIsCutByTheWholeRow() throws Exception {
        assertHugeDayCopiedInSeveralTransactions("created_on date NOT NULL, payload text, doc json", "created_on",
                "SELECT g % 4000, current_date + 3, CASE WHEN g % 7 = 0 THEN NULL ELSE md5((g % 4000)::text) END, "
                        + "json_build_object('n', g % 4000) FROM generate_series(1, 5000) g");
    }

    private static void assertHugeDayCopiedInSeveralTransactions(String columns, String control, String rows) throws Exception {
        String table = table("id bigint NOT NULL, " + columns, control, 1, false);
        run(table).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + EVENTS + " " + rows);
            String before = SqlRows.fingerprint(connection, EVENTS);
            run(table + repartition("batchSize=\"1000\"")).update();
            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            long transactions = SqlRows.count(connection, "SELECT count(DISTINCT xmin::text) FROM " + EVENTS
                    + " WHERE " + control + " >= date_trunc('day', now()) + interval '3 days'");
            assertTrue(transactions >= 4, "copied in " + transactions + " transactions");
            RepartitionDefaultTest.assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    private static String dayPartition(Connection connection, int day) throws SQLException {
        return (String) SqlRows.value(connection, "SELECT (partman.show_partition_name('" + EVENTS + "', (current_date + " + day + ")::text)).partition_table");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
