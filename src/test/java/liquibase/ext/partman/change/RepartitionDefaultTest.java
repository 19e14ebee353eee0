package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static liquibase.ext.partman.support.SqlRows.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.ext.partman.sql.ScriptStatement;
import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ext.partman.support.TestJvm;

/**
 * repartitionDefault and defaultPartitionEmpty against the real database: rows stuck in the DEFAULT, id tables, a run
 * whose backend or JVM is killed. The tables have automatic maintenance off, so that other tests' pg_cron jobs
 * (run_maintenance_proc for every table) leave them alone while their DEFAULT holds rows.
 */
class RepartitionDefaultTest {

    private static final String SCHEMA = "repartition_default";
    private static final String DAILY = SCHEMA + ".events_daily";

    private static final String DAILY_TABLE = """
              <changeSet id="table" author="test">
                <sql>
                  CREATE TABLE events_daily (
                      id bigserial,
                      event_date date NOT NULL,
                      payload text,
                      PRIMARY KEY (id, event_date)
                  ) PARTITION BY RANGE (event_date);
                </sql>
              </changeSet>
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="events_daily" controlColumn="event_date" interval="1 day" premake="1"
                    automaticMaintenance="false"/>
              </changeSet>
            """;

    private static final String REPARTITION_A_DAY_A_BATCH = DAILY_TABLE + """
              <changeSet id="repartition" author="test" runInTransaction="false">
                <partman:repartitionDefault tableName="events_daily" batchSize="100"/>
              </changeSet>
            """;
    /** The backend of a move that waits for the lock {@link #sixCopiesHeldAtTheThird} holds it on. */
    private static final String HELD_MOVER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted";
    private static final String KILLED_JVM = "repartition-default-jvm-killed";

    @BeforeEach
    void cleanSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
    }

    /** Rows left in a DEFAULT would make other tests' run_maintenance_proc() fail on 4.7: leave nothing behind. */
    @AfterAll
    static void dropSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
        }
    }

    private static LiquibaseRun run(String changeSets) {
        return LiquibaseRun.of("changelog.xml", xmlChangeLog(changeSets), TestDatabase.url(), SCHEMA);
    }

    /** The guide's default-partition-problem-test.sh, phase by phase, through the change types. */
    @Test
    void guidePhasesFromRowsInDefaultToWorkingMaintenance() throws Exception {
        String guardedMaintenance = """
                  <changeSet id="maintenance" author="test">
                    <preConditions onFail="HALT">
                      <partman:defaultPartitionEmpty tableName="events_daily"/>
                    </preConditions>
                    <partman:runPartmanMaintenance tableName="events_daily"/>
                  </changeSet>
                """;
        // Phase 1: a daily table with premake 1.
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            // Phase 2: rows 5 to 7 days ahead land in DEFAULT (the guide's four, and more).
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date, payload) VALUES "
                    + "(current_date + 5, 'a'), (current_date + 5, 'b'), (current_date + 6, 'c'), (current_date + 7, 'd')",
                    "INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 5 + g % 3, md5(g::text) "
                    + "FROM generate_series(1, 296) g");
            assertEquals(300, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            String before = SqlRows.fingerprint(connection, DAILY);

            // Phase 3: the precondition fails and names the table, its row count and dates.
            Exception halted = assertThrows(Exception.class, () -> run(DAILY_TABLE + guardedMaintenance).update());
            assertTrue(Failures.messages(halted).contains(DAILY + "_default: 300 rows, event_date from "
                    + SqlRows.value(connection, "SELECT (current_date + 5)::text") + " to "
                    + SqlRows.value(connection, "SELECT (current_date + 7)::text")), Failures.messages(halted));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM " + SCHEMA + ".databasechangelog WHERE id = 'maintenance'"));

            // Phase 4: maintenance on 4.7 fails on the DEFAULT's rows; on 5.x it creates nothing for them.
            if (!TestDatabase.partmanVersion().atLeast(5, 0)) {
                SQLException failure = assertThrows(SQLException.class,
                        () -> SqlRows.execute(connection, "SELECT partman.run_maintenance('" + DAILY + "')"));
                assertTrue(failure.getMessage().contains("updated partition constraint for default partition"), failure.getMessage());
            } else {
                SqlRows.execute(connection, "SELECT partman.run_maintenance('" + DAILY + "')");
                assertEquals(300, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            }

            // Phase 5: repartitionDefault moves every row; phase 6: premake raised, maintenance succeeds.
            run(DAILY_TABLE + """
                      <changeSet id="repartition" author="test" runInTransaction="false">
                        <partman:repartitionDefault tableName="events_daily" batchSize="120"/>
                      </changeSet>
                      <changeSet id="premake" author="test">
                        <partman:setPartmanConfig tableName="events_daily" premake="10"/>
                      </changeSet>
                    """ + guardedMaintenance).update();
            assertEquals(before, SqlRows.fingerprint(connection, DAILY), "every row once, unchanged");
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            assertEquals(3, SqlRows.count(connection, "SELECT count(DISTINCT tableoid) FROM " + DAILY));
            assertEquals(List.of(), SqlRows.strings(connection, "SELECT conname FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
                    + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = '" + SCHEMA + "' AND conname LIKE 'partman_repartition%'"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + SCHEMA + ".databasechangelog WHERE id = 'maintenance'"));
            // The partitions are pg_partman's own: it names them and finds them.
            assertEquals(SqlRows.strings(connection, "SELECT (partman.show_partition_name('" + DAILY + "', (current_date + d)::text)).partition_table "
                            + "FROM generate_series(5, 7) d"),
                    SqlRows.strings(connection, "SELECT DISTINCT tableoid::regclass::text FROM " + DAILY + " ORDER BY 1")
                            .stream().map(name -> name.substring(SCHEMA.length() + 1)).toList());
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.show_partitions('" + DAILY + "') "
                    + "WHERE partition_tablename = (partman.show_partition_name('" + DAILY + "', (current_date + 17)::text)).partition_table"),
                    "maintenance made the partitions premake asks for");
        }
    }

    /** With no tableName the precondition checks every table pg_partman manages, and names each with rows (YAML here). */
    @Test
    void preconditionWithoutATableChecksEveryManagedTable() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date) VALUES (current_date + 9)");
        }
        Exception halted = assertThrows(Exception.class, () -> LiquibaseRun.of("guard.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: guard
                      author: test
                      preConditions:
                        - onFail: HALT
                        - defaultPartitionEmpty: {}
                      changes:
                        - sql: SELECT 1
                """, TestDatabase.url(), SCHEMA).update());
        assertTrue(Failures.messages(halted).contains(DAILY + "_default: 1 row, event_date from "), Failures.messages(halted));
    }

    /**
     * An id-controlled table with negative ids, whose ranges start at the multiple of the interval below them; a far-off
     * id, so holes are left (fillGaps="false"). Inside a changeset transaction the change is refused before anything runs.
     */
    @Test
    void idControlledTableWithNegativeIds() throws Exception {
        String table = """
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE orders (id bigint NOT NULL PRIMARY KEY, note text) PARTITION BY RANGE (id)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="orders" controlColumn="id" interval="100" premake="2" startPartition="0"
                        automaticMaintenance="false"/>
                  </changeSet>
                """;
        run(table).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + SCHEMA + ".orders SELECT g, 'order ' || g "
                    + "FROM generate_series(1, 150) g UNION ALL SELECT g, 'late ' || g FROM generate_series(1000, 1349) g "
                    + "UNION ALL SELECT 987654, 'far' UNION ALL SELECT g, 'negative ' || g FROM unnest(ARRAY[-5, -100, -101, -150, -200]) g");
            assertEquals(356, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + SCHEMA + ".orders_default"));
            String before = SqlRows.fingerprint(connection, SCHEMA + ".orders");

            Exception refused = assertThrows(Exception.class, () -> run(table + """
                      <changeSet id="repartition" author="test">
                        <partman:repartitionDefault tableName="orders"/>
                      </changeSet>
                    """).update());
            assertTrue(Failures.messages(refused).contains("repartitionDefault.runInTransaction: the changeSet must say runInTransaction=\"false\""),
                    Failures.messages(refused));
            run(table + """
                      <changeSet id="repartition" author="test" runInTransaction="false">
                        <partman:repartitionDefault tableName="orders" batchSize="100" analyze="true" fillGaps="false"/>
                      </changeSet>
                    """).update();

            assertEquals(before, SqlRows.fingerprint(connection, SCHEMA + ".orders"));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + SCHEMA + ".orders_default"));
            assertEquals(List.of("orders_p1000", "orders_p1100", "orders_p1200", "orders_p1300", "orders_p987600"),
                    SqlRows.strings(connection, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            + "WHERE i.inhparent = '" + SCHEMA + ".orders'::regclass AND c.relname ~ '_p(1[0-9]{3}|987600)$' ORDER BY 1"));
            assertEquals(List.of("orders_p-100: 2", "orders_p-200: 3"), SqlRows.strings(connection, "SELECT c.relname || ': ' || count(*) "
                    + "FROM " + SCHEMA + ".orders o JOIN pg_class c ON c.oid = o.tableoid WHERE o.id < 0 GROUP BY c.relname ORDER BY 1"));
            assertEquals("FOR VALUES FROM ('1300') TO ('1400')", SqlRows.value(connection,
                    "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = '" + SCHEMA + ".orders_p1300'::regclass"));
            assertTrue(SqlRows.count(connection, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + SCHEMA + ".orders_p1000'::regclass") > 0,
                    "analyze=\"true\" analyzed the new partitions");
        }
    }

    /** Rows no partition may take stop the change before anything moves, and the message says which and why. */
    @Test
    void rowsItCannotPlaceAreNamedAndNothingMoves() throws Exception {
        run(DAILY_TABLE + """
                  <changeSet id="retention" author="test">
                    <partman:setRetention tableName="events_daily" retention="30 days" retentionKeepTable="false"/>
                  </changeSet>
                """).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date) VALUES (current_date - 60), (current_date - 59), (current_date + 4)");
            Exception failure = assertThrows(Exception.class, () -> run(DAILY_TABLE + """
                      <changeSet id="repartition" author="test" runInTransaction="false">
                        <partman:repartitionDefault tableName="events_daily"/>
                      </changeSet>
                    """).update());
            assertTrue(Failures.messages(failure).contains("repartitionDefault cannot place every row of " + DAILY + "_default"), Failures.messages(failure));
            assertTrue(Failures.messages(failure).contains("1 row(s) with event_date from " + SqlRows.value(connection,
                    "SELECT to_char(current_date - 60, 'YYYY-MM-DD') || ' 00:00:00+00'")),
                    Failures.messages(failure));
            assertTrue(Failures.messages(failure).contains("older than the retention (30 days)"), Failures.messages(failure));
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"), "nothing moved");
        }
    }

    /**
     * The backend is killed while copy 3 runs (copies 1 and 2 committed to the staging table): every row
     * is still there exactly once, in the DEFAULT, and a second run cleans up and finishes the job.
     */
    @Test
    void killedBetweenBatchesLosesNothingAndASecondRunFinishes() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            String before = sixCopiesHeldAtTheThird(connection, holder);
            CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> {
                try {
                    run(REPARTITION_A_DAY_A_BATCH).update();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(connection, HELD_MOVER);
            Object mover = SqlRows.value(connection, HELD_MOVER);
            assertCopiesOneAndTwoCommitted(connection, mover);
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + mover + ")");
            assertThrows(ExecutionException.class, () -> firstRun.get(1, TimeUnit.MINUTES));

            assertEquals(before, SqlRows.fingerprint(connection, DAILY), "every row exactly once after the kill");
            assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"), "the rows never left the DEFAULT");
            assertEquals(List.of("partman_repartition_" + mover, "partman_repartition_" + mover + "_truncate"),
                    SqlRows.strings(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = '" + DAILY + "_default'::regclass "
                            + "AND NOT tgisinternal ORDER BY 1"),
                    "the killed run left its trigger (and tables), which the next run removes");

            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            // What `liquibase release-locks` does after a killed update.
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(REPARTITION_A_DAY_A_BATCH).update();

            assertEveryRowMovedOnce(connection, before);
        }
    }

    /**
     * The backend is killed while its swap waits for the parent (a session holds it): the partitions
     * had already left the staging table, holding copies only. Every row is still in the DEFAULT,
     * and a second run removes those partitions with the rest and finishes the job.
     */
    @Test
    void killedWaitingForItsSwapLeavesPartitionsThatASecondRunRemoves() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 3 + g % 6, md5(g::text) "
                    + "FROM generate_series(1, 600) g");
            String before = SqlRows.fingerprint(connection, DAILY);
            holder.setAutoCommit(false);
            SqlRows.execute(holder, "LOCK TABLE " + DAILY + " IN ACCESS SHARE MODE");
            CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> {
                try {
                    run(REPARTITION_A_DAY_A_BATCH).update();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String detached = "SELECT 1 FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = '" + SCHEMA
                    + "'::regnamespace AND c.conname = 'partman_repartition_bounds' AND NOT EXISTS (SELECT 1 FROM pg_inherits i "
                    + "WHERE i.inhrelid = c.conrelid) HAVING count(*) >= 6";
            waitFor(connection, detached);
            // The run's two triggers are partman_repartition_<pid> and partman_repartition_<pid>_truncate.
            Object mover = SqlRows.value(connection, "SELECT substring(tgname from '[0-9]+$') FROM pg_trigger WHERE tgrelid = '"
                    + DAILY + "_default'::regclass AND NOT tgisinternal AND tgname ~ '[0-9]$'");
            assertEquals(true, SqlRows.value(connection, "SELECT pg_terminate_backend(" + mover + ")"));
            assertThrows(ExecutionException.class, () -> firstRun.get(1, TimeUnit.MINUTES));
            holder.rollback();

            assertEquals(before, SqlRows.fingerprint(connection, DAILY), "every row exactly once after the kill");
            assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"), "the rows never left the DEFAULT");
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(REPARTITION_A_DAY_A_BATCH).update();

            assertEveryRowMovedOnce(connection, before);
        }
    }

    /**
     * The JVM running the update is killed (SIGKILL) while copy 3 runs. PostgreSQL learns of it
     * only when it next writes to the client: meanwhile the backend goes on waiting in copy 3, and
     * a rerun stops at once, naming it. Once let go, the backend moves on until a copy's notice
     * finds the connection gone ("could not send data to client", then "connection to client lost"
     * in the server log) and ends, before its swap: the rows never left the DEFAULT. After that
     * and release-locks, the rerun finishes the move with every row there exactly once.
     */
    @Test
    void jvmKilledDuringABatchLosesNothingAndARerunFinishes() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            String before = sixCopiesHeldAtTheThird(connection, holder);
            Process update = TestJvm.start(KILLED_JVM, RepartitionDefaultTest.class, List.of());
            TestJvm.await("the move reached batch 3 (see " + ExternalProcess.log(KILLED_JVM) + ")", List.of(update),
                    () -> TestJvm.waitsFor(holder));
            Object mover = SqlRows.value(connection, HELD_MOVER);
            assertCopiesOneAndTwoCommitted(connection, mover);
            update.destroyForcibly();
            assertTrue(update.waitFor(1, TimeUnit.MINUTES));

            LiquibaseRun rerun = run(REPARTITION_A_DAY_A_BATCH);
            rerun.releaseLocks();
            Exception refused = assertThrows(Exception.class, rerun::update);
            assertTrue(Failures.messages(refused).contains("another repartitionDefault (backend " + mover + ") is moving the rows of "
                    + DAILY + "_default"), Failures.messages(refused));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_stat_activity WHERE pid = " + mover + " AND wait_event_type = 'Lock'"),
                    "the killed JVM's backend still waits in batch 3");

            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            waitFor(connection, "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = " + mover + ")");
            assertEquals(before, SqlRows.fingerprint(connection, DAILY), "every row exactly once after its backend ended");
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_trigger WHERE tgrelid = '" + DAILY + "_default'::regclass "
                    + "AND tgname = 'partman_repartition_" + mover + "'"), "the run it was in when it ended left its trigger");

            rerun.update();
            assertEveryRowMovedOnce(connection, before);
        }
    }

    /** The update {@link #jvmKilledDuringABatchLosesNothingAndARerunFinishes} kills, in a JVM of its own. */
    public static void main(String[] args) throws Exception {
        run(REPARTITION_A_DAY_A_BATCH).update();
    }

    /**
     * 600 rows in the DEFAULT, 100 a day over 6 days: 6 copies of one day. A check constraint of the
     * parent, which the new partitions copy, holds copy 3's insert on an advisory lock that the holder
     * takes, so that a kill lands there every time. Returns the rows' fingerprint.
     */
    private static String sixCopiesHeldAtTheThird(Connection connection, Connection holder) throws Exception {
        run(DAILY_TABLE).update();
        SqlRows.execute(connection,
                "INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 3 + g % 6, md5(g::text) FROM generate_series(1, 600) g",
                "CREATE FUNCTION " + SCHEMA + ".wait_for_test(day date) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF day = current_date + 5 THEN PERFORM pg_advisory_lock_shared(4242); "
                        + "PERFORM pg_advisory_unlock_shared(4242); END IF; RETURN true; END $$",
                "ALTER TABLE " + DAILY + " ADD CONSTRAINT wait_for_test CHECK (" + SCHEMA + ".wait_for_test(event_date))");
        SqlRows.execute(holder, "SELECT pg_advisory_lock(4242)");
        return SqlRows.fingerprint(connection, DAILY);
    }

    private static void assertCopiesOneAndTwoCommitted(Connection connection, Object mover) throws SQLException {
        assertEquals(200, copiedRows(connection, "partman_repartition_" + mover), "copies 1 and 2 were committed, to the run's partitions");
        assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"), "readers still find every row in the DEFAULT");
    }

    /**
     * The rows in the partitions a run made and has not attached yet (their bounds constraint's comment names the run),
     * but for those a copy is writing to (they are locked until it commits).
     */
    static long copiedRows(Connection connection, String run) throws SQLException {
        return SqlRows.count(connection, "SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', "
                + "c.conrelid::regclass), false, true, '')))[1]::text::bigint), 0) FROM pg_constraint c "
                + "WHERE c.conname = 'partman_repartition_bounds' AND obj_description(c.oid, 'pg_constraint') = '" + run + "' "
                + "AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.relation = c.conrelid AND l.mode = 'AccessExclusiveLock')");
    }

    private static void assertEveryRowMovedOnce(Connection connection, String before) throws SQLException {
        assertEquals(before, SqlRows.fingerprint(connection, DAILY), "every row exactly once after the rerun");
        assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
        assertEquals(6, SqlRows.count(connection, "SELECT count(DISTINCT tableoid) FROM " + DAILY));
        assertNothingLeftBehind(connection, SCHEMA);
    }

    /** No trigger, table, function or constraint of a run is left in the schema. */
    static void assertNothingLeftBehind(Connection connection, String schema) throws SQLException {
        assertEquals(List.of(), SqlRows.strings(connection, "SELECT conname FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = '" + schema + "' AND conname LIKE 'partman_repartition%' "
                + "UNION ALL SELECT relname FROM pg_class WHERE relnamespace = '" + schema + "'::regnamespace AND relname LIKE 'partman_repartition%' "
                + "UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = '" + schema + "'::regnamespace AND proname LIKE 'partman_repartition%' "
                + "UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE 'partman_repartition%'"));
    }

    /**
     * A query that arrives while the swap detaches the old DEFAULT and attaches the partitions waits and then finds the row once.
     * PostgreSQL plans with the partitions it saw before waiting for a lock and reads with a
     * snapshot taken after (extended protocol, as JDBC prepared statements use): had the query
     * waited on the DEFAULT rather than on the parent, it would find nothing. An event trigger
     * holds the swap right after its first ALTER TABLE of the parent, with its locks (and without the
     * swap's lock timeout), until the query is waiting.
     */
    @Test
    void aQueryArrivingDuringAttachSeesTheRowOnce() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "INSERT INTO " + DAILY + " (id, event_date) VALUES (1, current_date + 4), (2, current_date + 5)",
                    "CREATE FUNCTION " + SCHEMA + ".hold_after_attach() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = '" + DAILY + "') THEN "
                            + "PERFORM set_config('lock_timeout', '0', true); "
                            + "PERFORM pg_advisory_lock_shared(4243); PERFORM pg_advisory_unlock_shared(4243); END IF; END $$",
                    "SELECT pg_advisory_lock(4243)",
                    "CREATE EVENT TRIGGER repartition_default_hold ON ddl_command_end WHEN TAG IN ('ALTER TABLE') "
                            + "EXECUTE FUNCTION " + SCHEMA + ".hold_after_attach()");
            try {
                CompletableFuture<Void> mover = CompletableFuture.runAsync(() -> {
                    try {
                        run(DAILY_TABLE + """
                                  <changeSet id="repartition" author="test" runInTransaction="false">
                                    <partman:repartitionDefault tableName="events_daily" batchSize="1"/>
                                  </changeSet>
                                """).update();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                waitFor(connection, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4243 AND NOT granted");
                CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                    try (Connection readerConnection = TestDatabase.connect();
                         var lookup = readerConnection.prepareStatement("SELECT count(*) FROM " + DAILY + " WHERE id = ?")) {
                        lookup.setLong(1, 1);
                        try (var found = lookup.executeQuery()) {
                            found.next();
                            return found.getLong(1);
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                waitFor(connection, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'SELECT count(*) FROM " + DAILY + " WHERE id = %'");
                SqlRows.execute(connection, "SELECT pg_advisory_unlock(4243)");
                assertEquals(1L, reader.get(1, TimeUnit.MINUTES), "the row the batch moved, found once");
                mover.get(1, TimeUnit.MINUTES);
            } finally {
                SqlRows.execute(holder, "DROP EVENT TRIGGER IF EXISTS repartition_default_hold");
            }
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
        }
    }

    /** The change's script for a table of the schema, as Liquibase would send it; the connection is left in autocommit. */
    private static String generatedSql(Connection connection, String table) throws Exception {
        return generatedSql(connection, SCHEMA, table, null);
    }

    /** The change's script for a table of a schema, as Liquibase would send it; the connection is left in autocommit. */
    static String generatedSql(Connection connection, String schema, String table, Integer batchSize) throws Exception {
        return generatedSql(connection, schema, table, batchSize, null);
    }

    private static String generatedSql(Connection connection, String schema, String table, Integer batchSize, Boolean fillGaps)
            throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDefaultSchemaName(schema);
        RepartitionDefaultChange change = new RepartitionDefaultChange();
        change.setTableName(table);
        change.setBatchSize(batchSize);
        change.setFillGaps(fillGaps);
        String sql = ((ScriptStatement) change.generateStatements(database)[0]).getSql();
        connection.setAutoCommit(true);
        return sql;
    }

    /** {@link #sixCopiesHeldAtTheThird}, and a move that has started and waits there. */
    private static CompletableFuture<Void> aMoveHeldAtTheThirdCopy(Connection connection, Connection holder) throws Exception {
        sixCopiesHeldAtTheThird(connection, holder);
        CompletableFuture<Void> move = moveADayABatch();
        waitFor(connection, HELD_MOVER);
        return move;
    }

    private static void assertDefaultEmptyAndNothingLeft(Connection connection) throws SQLException {
        assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
        assertNothingLeftBehind(connection, SCHEMA);
    }

    private static CompletableFuture<Void> moveADayABatch() {
        return CompletableFuture.runAsync(() -> {
            try {
                run(REPARTITION_A_DAY_A_BATCH).update();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Writers that fire no ordinary trigger (session_replication_role = replica: logical replication's apply
     * workers, pg_restore --disable-triggers) change rows of days already copied, not yet copied and not planned,
     * and a TRUNCATE of the DEFAULT arrives, all during the move: the writes stay, the TRUNCATE is refused.
     */
    @Test
    void replicaModeWritesDuringTheMoveStayAndTruncateIsRefused() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection replica = TestDatabase.connect(); Connection truncater = TestDatabase.connect()) {
            CompletableFuture<Void> move = aMoveHeldAtTheThirdCopy(connection, holder);
            SqlRows.execute(replica, "SET session_replication_role = replica",
                    "UPDATE " + DAILY + " SET payload = 'replica update' WHERE event_date = current_date + 3 AND id % 10 = 0",
                    "DELETE FROM " + DAILY + " WHERE event_date = current_date + 4 AND id % 10 = 1",
                    "UPDATE " + DAILY + " SET event_date = current_date + 6 WHERE event_date = current_date + 3 AND id % 10 = 2",
                    "INSERT INTO " + DAILY + " (event_date, payload) VALUES (current_date + 3, 'replica insert'), "
                            + "(current_date + 7, 'replica insert'), (current_date + 40, 'replica insert, a day not planned')");
            String written = SqlRows.fingerprint(connection, DAILY);
            CompletableFuture<Void> truncate = CompletableFuture.runAsync(() -> {
                try {
                    SqlRows.execute(truncater, "TRUNCATE " + DAILY + "_default");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(connection, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'TRUNCATE%'");
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            Exception refused = assertThrows(ExecutionException.class, () -> truncate.get(1, TimeUnit.MINUTES));
            assertTrue(Failures.messages(refused).contains("is moving the rows of " + SCHEMA + ".events_daily_default: TRUNCATE it once that is done"),
                    Failures.messages(refused));
            move.get(2, TimeUnit.MINUTES);
            assertEquals(written, SqlRows.fingerprint(connection, DAILY), "every replica-mode write kept, every row once");
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /**
     * A change the log never sees (here: its trigger disabled by hand for one update) stands for any bug of the plan,
     * the copies or the log: the proof finds the old DEFAULT unequal to what the partitions received, keeps it with
     * every row, and the run fails saying where they are. A rerun leaves it alone.
     */
    @Test
    void aChangeTheLogMissedKeepsTheOldDefaultAndStopsTheRun() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            CompletableFuture<Void> move = aMoveHeldAtTheThirdCopy(connection, holder);
            Object mover = SqlRows.value(connection, HELD_MOVER);
            Object id = SqlRows.value(connection, "SELECT min(id) FROM " + DAILY + " WHERE event_date = current_date + 3");
            SqlRows.execute(connection, "ALTER TABLE " + DAILY + "_default DISABLE TRIGGER partman_repartition_" + mover,
                    "UPDATE " + DAILY + " SET payload = 'unlogged' WHERE id = " + id,
                    "ALTER TABLE " + DAILY + "_default ENABLE ALWAYS TRIGGER partman_repartition_" + mover);
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            Exception failed = assertThrows(ExecutionException.class, () -> move.get(2, TimeUnit.MINUTES));
            assertTrue(Failures.messages(failed).contains("but the old DEFAULT, kept as " + SCHEMA + ".partman_repartition_" + mover + "_old_"),
                    Failures.messages(failed));
            String kept = (String) SqlRows.value(connection, "SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA
                    + "'::regnamespace AND relname LIKE 'partman\\_repartition\\_%\\_old\\_%'");
            assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + "." + kept));
            assertEquals("unlogged", SqlRows.value(connection, "SELECT payload FROM " + SCHEMA + "." + kept + " WHERE id = " + id));
            assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM " + DAILY), "the partitions hold the copies");

            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(REPARTITION_A_DAY_A_BATCH).update();
            assertEquals(600, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + "." + kept), "a rerun keeps it");
        }
    }

    /**
     * Rows travel through the log as text, written and read back with fixed settings: a writer with lossy or unusual
     * settings (extra_float_digits 0, IntervalStyle sql_standard) and a move run from a session
     * with lossy settings change no value.
     */
    @Test
    void theSessionsSettingsChangeNoValue() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection writer = TestDatabase.connect(); Connection mover = TestDatabase.connect()) {
            sixCopiesHeldAtTheThird(connection, holder);
            SqlRows.execute(connection, "ALTER TABLE " + DAILY + " ADD COLUMN f float8, ADD COLUMN iv interval, ADD COLUMN d date",
                    "UPDATE " + DAILY + " SET f = id / 3.0, iv = make_interval(days => -id::int, hours => 2), d = date '2024-03-05' + id::int "
                            + "WHERE event_date <> current_date + 5");
            String sql = generatedSql(mover, "events_daily");
            SqlRows.execute(mover, "SET extra_float_digits = 0", "SET IntervalStyle = 'sql_standard'");
            CompletableFuture<Void> move = CompletableFuture.runAsync(() -> {
                try {
                    SqlRows.execute(mover, sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(connection, HELD_MOVER);
            SqlRows.execute(writer, "SET extra_float_digits = 0", "SET IntervalStyle = 'sql_standard'",
                    "INSERT INTO " + DAILY + " (event_date, f, iv, d) VALUES (current_date + 3, 0.1::float8 + 0.2::float8, "
                            + "interval '-1 day -2 hours', '2024-03-05'), (current_date + 7, 1.0 / 3, interval '-3 days +4 hours', '2024-12-31')",
                    "UPDATE " + DAILY + " SET f = 0.1::float8 + 0.2::float8, iv = interval '-1 day -2 hours', d = d + 1 "
                            + "WHERE event_date IN (current_date + 4, current_date + 8) AND id % 10 = 0");
            String written = SqlRows.fingerprint(connection, DAILY);
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            move.get(2, TimeUnit.MINUTES);
            assertEquals(written, SqlRows.fingerprint(connection, DAILY));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM " + DAILY + " WHERE f = 0.1::float8 + 0.2::float8 AND iv = interval '-1 day -2 hours'"));
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /** Two runs on one table at once (two changelogs, two connections): the second stops at once, naming the first. */
    @Test
    void aSecondRunAtTheSameTimeIsRefused() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection second = TestDatabase.connect()) {
            String before = sixCopiesHeldAtTheThird(connection, holder);
            CompletableFuture<Void> move = moveADayABatch();
            waitFor(connection, HELD_MOVER);
            Object mover = SqlRows.value(connection, HELD_MOVER);
            SQLException refused = assertThrows(SQLException.class, () -> SqlRows.execute(second, generatedSql(second, "events_daily")));
            assertTrue(refused.getMessage().contains("another repartitionDefault (backend " + mover + ") is moving the rows of "
                    + DAILY + "_default"), refused.getMessage());
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            move.get(2, TimeUnit.MINUTES);
            assertEveryRowMovedOnce(connection, before);
        }
    }

    /**
     * Changes logged while the swap cannot have its locks (a report reads the table) are applied between its tries,
     * each in a transaction of its own: once the report ends, the swap applies only what arrived after the last try,
     * here nothing, so readers never wait for a long log to be applied under its exclusive locks.
     */
    @Test
    void changesLoggedWhileTheSwapWaitsAreAppliedBeforeItLocks() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection report = TestDatabase.connect(); Connection mover = TestDatabase.connect()) {
            sixCopiesHeldAtTheThird(connection, holder);
            CompletableFuture<List<String>> move = moveReportingNotices(mover);
            waitFor(connection, HELD_MOVER);
            Object moverPid = SqlRows.value(connection, HELD_MOVER);
            report.setAutoCommit(false);
            SqlRows.count(report, "SELECT count(*) FROM " + DAILY);
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            waitFor(connection, "SELECT 1 FROM pg_locks WHERE pid = " + moverPid + " AND NOT granted AND relation = '" + DAILY + "'::regclass");
            SqlRows.execute(connection, "UPDATE " + DAILY + " SET payload = payload || ' changed' WHERE event_date BETWEEN current_date + 3 AND current_date + 5");
            String expected = SqlRows.fingerprint(connection, DAILY);
            waitFor(connection, "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM " + SCHEMA + ".partman_repartition_" + moverPid + "_log)");
            report.commit();
            List<String> notices = move.get(2, TimeUnit.MINUTES);
            assertTrue(notices.stream().anyMatch(n -> n.contains("rows copied and 600 logged changes applied (0 of them under the swap's locks)")),
                    notices::toString);
            assertEveryRowMovedOnce(connection, expected);
        }
    }

    /**
     * A session holding the run's log table as pg_dump holds every table it dumps (ACCESS SHARE until it ends) delays
     * only the run's clean-up, which waits at most lockTimeout a try: the swap is done, readers use the table
     * meanwhile, and once the session ends the run drops what it made.
     */
    @Test
    void aDumpHoldingTheLogTableDelaysOnlyTheCleanUp() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection dump = TestDatabase.connect(); Connection reader = TestDatabase.connect()) {
            String before = sixCopiesHeldAtTheThird(connection, holder);
            CompletableFuture<Void> move = moveADayABatch();
            waitFor(connection, HELD_MOVER);
            Object mover = SqlRows.value(connection, HELD_MOVER);
            String log = SCHEMA + ".partman_repartition_" + mover + "_log";
            dump.setAutoCommit(false);
            SqlRows.execute(dump, "LOCK TABLE " + log + " IN ACCESS SHARE MODE");
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            waitFor(connection, "SELECT 1 FROM pg_locks WHERE pid = " + mover + " AND NOT granted AND relation = '" + log + "'::regclass");
            SqlRows.execute(reader, "SET lock_timeout = '5s'");
            assertEquals(600, SqlRows.count(reader, "SELECT count(*) FROM " + DAILY), "the swap is done: readers find every row");
            assertEquals(0, SqlRows.count(reader, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            assertFalse(move.isDone(), "the run waits for the dump to drop its tables");
            dump.commit();
            move.get(2, TimeUnit.MINUTES);
            assertEveryRowMovedOnce(connection, before);
        }
    }

    /**
     * A session reading a killed run's log table (a DBA looking at it with autocommit off, a pg_dump) delays the
     * rerun's clean-up of it, which locks everything it drops at once and within lockTimeout: readers of the table
     * never queue behind it, and the rerun finishes once that session ends.
     */
    @Test
    void aSessionReadingAKilledRunsTablesDelaysOnlyTheRerun() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection looker = TestDatabase.connect(); Connection reader = TestDatabase.connect()) {
            String before = sixCopiesHeldAtTheThird(connection, holder);
            CompletableFuture<Void> killed = moveADayABatch();
            waitFor(connection, HELD_MOVER);
            Object mover = SqlRows.value(connection, HELD_MOVER);
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + mover + ")");
            assertThrows(ExecutionException.class, () -> killed.get(1, TimeUnit.MINUTES));
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            String log = SCHEMA + ".partman_repartition_" + mover + "_log";
            looker.setAutoCommit(false);
            SqlRows.count(looker, "SELECT count(*) FROM " + log);
            CompletableFuture<Void> rerun = moveADayABatch();
            waitFor(connection, "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted "
                    + "AND l.relation = '" + log + "'::regclass AND a.pid <> " + mover);
            SqlRows.execute(reader, "SET lock_timeout = '5s'");
            for (int i = 0; i < 20; i++) {
                assertEquals(600, SqlRows.count(reader, "SELECT count(*) FROM " + DAILY));
            }
            assertFalse(rerun.isDone(), "the rerun waits for the session to clean up");
            looker.commit();
            rerun.get(2, TimeUnit.MINUTES);
            assertEveryRowMovedOnce(connection, before);
        }
    }

    /** After a killed run, no run holds the table: TRUNCATE goes through, and a rerun finds nothing to move. */
    @Test
    void truncateGoesThroughAfterAKilledRun() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            CompletableFuture<Void> move = aMoveHeldAtTheThirdCopy(connection, holder);
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, HELD_MOVER) + ")");
            assertThrows(ExecutionException.class, () -> move.get(1, TimeUnit.MINUTES));
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            SqlRows.execute(connection, "TRUNCATE " + DAILY);
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM " + DAILY));
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(REPARTITION_A_DAY_A_BATCH).update();
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /**
     * What the swap cannot carry to a new DEFAULT is refused before anything is done, naming the cause: foreign
     * keys referencing the table, and triggers, row security policies or a publication of the DEFAULT's own.
     */
    @Test
    void whatTheSwapCannotCarryIsRefusedBeforeAnythingIsDone() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 3 + g % 3, 'row' FROM generate_series(1, 30) g",
                    "CREATE TABLE " + SCHEMA + ".notes (id bigint, event_date date, FOREIGN KEY (id, event_date) REFERENCES " + DAILY + ")",
                    "CREATE FUNCTION " + SCHEMA + ".touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
            String before = SqlRows.fingerprint(connection, DAILY);
            assertRefused(connection, "repartitionDefault detaches " + DAILY + "_default from " + DAILY
                    + ", which the foreign keys referencing " + DAILY + " forbid");
            SqlRows.execute(connection, "DROP TABLE " + SCHEMA + ".notes",
                    "CREATE TRIGGER touch BEFORE UPDATE ON " + DAILY + "_default FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".touch()",
                    "ALTER TABLE " + DAILY + "_default ENABLE ROW LEVEL SECURITY",
                    "CREATE POLICY everyone ON " + DAILY + "_default USING (true)");
            assertRefused(connection, "repartitionDefault replaces " + DAILY + "_default with a new DEFAULT partition, and "
                    + DAILY + "_default has triggers touch, row security policies of its own");
            assertEquals(before, SqlRows.fingerprint(connection, DAILY));
            assertEquals(30, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /**
     * Ranges that existing partitions keep apart cannot share a chunk: a plan of so many of them that the swap, with
     * their indexes, would take more than half of the server's shared lock table is refused before anything is done,
     * rather than leave the application's sessions out of shared memory.
     */
    @Test
    void aPlanThatWouldFillTheLockTableIsRefused() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            List<String> setUp = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                setUp.add("CREATE INDEX ON " + DAILY + " ((payload || '" + i + "'))");
            }
            // Every other day a partition, and a row in the DEFAULT for each day between.
            setUp.add("DO $$ DECLARE d date; BEGIN FOR i IN 1 .. 150 LOOP d := current_date + 10 + 2 * i; "
                    + "EXECUTE format('CREATE TABLE %I.%I PARTITION OF " + DAILY + " FOR VALUES FROM (%L) TO (%L)', '" + SCHEMA + "', "
                    + "(SELECT partition_table FROM partman.show_partition_name('" + DAILY + "', d::text)), d, d + 1); END LOOP; END $$");
            setUp.add("INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 11 + 2 * i, 'between' FROM generate_series(1, 150) i");
            SqlRows.execute(connection, setUp.toArray(String[]::new));
            String before = SqlRows.fingerprint(connection, DAILY);
            assertRefused(connection, "partitions and chunks and their indexes would take");
            assertEquals(before, SqlRows.fingerprint(connection, DAILY));
            assertEquals(150, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /**
     * Rows at the very end of an id type belong to a range whose bound the type cannot hold: the plan names them
     * and stops before anything is made, leaving nothing of the run behind.
     */
    @Test
    void idsAtTheEndOfTheirTypeAreNamedAndNothingIsLeft() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".orders (id bigint NOT NULL, note text) PARTITION BY RANGE (id)",
                    TestDatabase.createParentSql(SCHEMA + ".orders", "id", "1000", "p_premake := 1"),
                    "INSERT INTO " + SCHEMA + ".orders VALUES (5000, 'near'), (9223372036854775807, 'the last bigint')");
            String before = SqlRows.fingerprint(connection, SCHEMA + ".orders");
            String sql = generatedSql(connection, SCHEMA, "orders", null, false);
            SQLException refused = assertThrows(SQLException.class, () -> SqlRows.execute(connection, sql));
            assertTrue(refused.getMessage().contains("would be bounded by values outside bigint"), refused.getMessage());
            assertEquals(before, SqlRows.fingerprint(connection, SCHEMA + ".orders"));
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /**
     * One far-off row (a timestamp of 0 in an hourly set, a stray id) would have fillGaps plan a partition for every
     * range up to the newest partition: half a million hourly partitions, or a plan that fills the server's temporary
     * space with half a billion id ranges. Refused before anything is made, as rows more than 100000 partitions apart
     * are, and neither refusal leaves the run's trigger logging the DEFAULT's writes; with fillGaps="false" the same rows move.
     */
    @Test
    void farOffRowsAreRefusedBeforeAnythingIsMadeAndNothingIsLeft() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".hourly (ts timestamptz NOT NULL, note text) PARTITION BY RANGE (ts)",
                    TestDatabase.createParentSql(SCHEMA + ".hourly", "ts", "1 hour", "p_premake := 1"),
                    "INSERT INTO " + SCHEMA + ".hourly VALUES ('1970-01-01 00:00:00+00', 'epoch zero')",
                    "CREATE TABLE " + SCHEMA + ".orders (id bigint NOT NULL, note text) PARTITION BY RANGE (id)",
                    TestDatabase.createParentSql(SCHEMA + ".orders", "id", "10", "p_premake := 1", "p_start_partition := '5000000000'"),
                    "INSERT INTO " + SCHEMA + ".orders VALUES (5000000005, 'in its partition'), (-1, 'stray')");
            for (String table : List.of("hourly", "orders")) {
                String before = SqlRows.fingerprint(connection, SCHEMA + "." + table);
                String sql = generatedSql(connection, SCHEMA, table, null, null);
                SQLException refused = assertThrows(SQLException.class, () -> SqlRows.execute(connection, sql));
                assertTrue(refused.getMessage().contains("repartitionDefault cannot place every row of " + SCHEMA + "." + table
                        + "_default: fillGaps would make more than 100000 partitions"), refused.getMessage());
                assertEquals(before, SqlRows.fingerprint(connection, SCHEMA + "." + table));
                assertNothingLeftBehind(connection, SCHEMA);
                SqlRows.execute(connection, generatedSql(connection, SCHEMA, table, null, false));
                assertEquals(before, SqlRows.fingerprint(connection, SCHEMA + "." + table), table + " with fillGaps=\"false\"");
                assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + SCHEMA + "." + table + "_default"));
            }
            SqlRows.execute(connection, "INSERT INTO " + SCHEMA + ".hourly VALUES ('1970-01-02 00:00:00+00'), (now() - interval '3 hours')");
            String sql = generatedSql(connection, SCHEMA, "hourly", null, false);
            SQLException refused = assertThrows(SQLException.class, () -> SqlRows.execute(connection, sql));
            assertTrue(refused.getMessage().contains("cannot place every row of " + SCHEMA + ".hourly_default: rows with ts from 1970-01-02"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("more than 100000 partitions apart"), refused.getMessage());
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    private static void assertRefused(Connection connection, String message) throws Exception {
        SQLException refused = assertThrows(SQLException.class, () -> SqlRows.execute(connection, generatedSql(connection, "events_daily")));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }

    /** The change's script run on a connection of its own; completes with the server's NOTICEs. */
    private static CompletableFuture<List<String>> moveReportingNotices(Connection connection) throws Exception {
        String sql = generatedSql(connection, SCHEMA, "events_daily", 100);
        return CompletableFuture.supplyAsync(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                List<String> notices = new ArrayList<>();
                for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                    notices.add(warning.getMessage());
                }
                return notices;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Rows that arrive during the move for days the move did not plan stay in the new DEFAULT rather than being written
     * again: the application's BEFORE and AFTER INSERT triggers have seen each of them once.
     */
    @Test
    void rowsForOtherDaysAreNotWrittenTwice() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            sixCopiesHeldAtTheThird(connection, holder);
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".audit (id bigint, payload text)",
                    "CREATE FUNCTION " + SCHEMA + ".stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "NEW.payload := NEW.payload || ' stamped'; RETURN NEW; END $$",
                    "CREATE FUNCTION " + SCHEMA + ".audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "INSERT INTO " + SCHEMA + ".audit VALUES (NEW.id, NEW.payload); RETURN NULL; END $$",
                    "CREATE TRIGGER stamp BEFORE INSERT ON " + DAILY + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".stamp()",
                    "CREATE TRIGGER audit AFTER INSERT ON " + DAILY + " FOR EACH ROW EXECUTE FUNCTION " + SCHEMA + ".audit()");
            CompletableFuture<Void> move = moveADayABatch();
            waitFor(connection, HELD_MOVER);
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date, payload) SELECT current_date + 30 + g, 'late' FROM generate_series(1, 5) g");
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            move.get(2, TimeUnit.MINUTES);
            assertEquals(List.of("late stamped"), SqlRows.strings(connection, "SELECT DISTINCT payload FROM " + DAILY + " WHERE payload LIKE 'late%'"));
            assertEquals(5, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".audit"));
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /**
     * With fillGaps="false" a slice of several days spans days without rows, which get no partition: a row arriving on
     * such a day during the move is not copied with the slice (the staging table has no partition for it) but goes to
     * the new DEFAULT, and a further pass moves it. The move waits for pg_partman's running maintenance after its plan.
     */
    @Test
    void aRowArrivingBetweenPlannedDaysWithoutFillGapsIsMovedByTheNextPass() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect();
             Connection mover = TestDatabase.connect(); Statement moving = mover.createStatement()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date, payload) VALUES (current_date + 10, 'a'), (current_date + 12, 'b')");
            String sql = generatedSql(mover, SCHEMA, "events_daily", null, false);
            Object moverPid = SqlRows.value(mover, "SELECT pg_backend_pid()");
            // Maintenance that runs (an idle holder of its lock is passed by) until the test's lock 4243 is free.
            SqlRows.execute(connection, "SELECT pg_advisory_lock(4243)");
            CompletableFuture<Void> maintenance = CompletableFuture.runAsync(() -> {
                try {
                    SqlRows.execute(holder, "SELECT pg_advisory_lock(hashtext('pg_partman run_maintenance')), pg_advisory_lock(4243)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(connection, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4243 AND NOT granted");
            CompletableFuture<Void> move = CompletableFuture.runAsync(() -> {
                try {
                    moving.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(connection, "SELECT 1 FROM pg_stat_activity WHERE pid = " + moverPid + " AND wait_event = 'PgSleep'");
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date, payload) VALUES (current_date + 11, 'arrived during the move')");
            String expected = SqlRows.fingerprint(connection, DAILY);
            SqlRows.execute(connection, "SELECT pg_advisory_unlock(4243)");
            maintenance.get(1, TimeUnit.MINUTES);
            SqlRows.execute(holder, "SELECT pg_advisory_unlock_all()");
            move.get(2, TimeUnit.MINUTES);
            List<String> notices = new ArrayList<>();
            for (SQLWarning warning = moving.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                notices.add(warning.getMessage());
            }
            assertTrue(notices.stream().anyMatch(n -> n.contains("pass 1:") && n.contains("; 1 rows arrived for other ranges")), notices::toString);
            assertEquals(expected, SqlRows.fingerprint(connection, DAILY));
            assertEquals(3, SqlRows.count(connection, "SELECT count(DISTINCT tableoid) FROM " + DAILY));
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /**
     * A run killed during a copy leaves its trigger, which names no column: renaming a column afterwards breaks no
     * write of the application, and a rerun finishes the move.
     */
    @Test
    void aColumnRenamedAfterAKilledRunBreaksNoWrite() throws Exception {
        try (Connection connection = TestDatabase.connect(); Connection holder = TestDatabase.connect()) {
            CompletableFuture<Void> move = aMoveHeldAtTheThirdCopy(connection, holder);
            SqlRows.execute(connection, "SELECT pg_terminate_backend(" + SqlRows.value(connection, HELD_MOVER) + ")");
            assertThrows(ExecutionException.class, () -> move.get(1, TimeUnit.MINUTES));
            SqlRows.execute(holder, "SELECT pg_advisory_unlock(4242)");
            SqlRows.execute(connection, "ALTER TABLE " + DAILY + " RENAME COLUMN payload TO note",
                    "INSERT INTO " + DAILY + " (event_date, note) VALUES (current_date + 4, 'after the rename')",
                    "UPDATE " + DAILY + " SET note = 'renamed' WHERE event_date = current_date + 6");
            String before = SqlRows.fingerprint(connection, DAILY);
            SqlRows.execute(connection, "UPDATE " + SCHEMA + ".databasechangeloglock SET locked = false");
            run(REPARTITION_A_DAY_A_BATCH).update();
            assertEquals(before, SqlRows.fingerprint(connection, DAILY));
            assertDefaultEmptyAndNothingLeft(connection);
        }
    }

    /**
     * The parent's foreign keys are made and checked on each new partition before the swap, so that ATTACH takes
     * them as they are (each partition ends with one, attached to the parent's) instead of reading its rows in the swap.
     */
    @Test
    void theParentsForeignKeysAreCheckedBeforeTheSwap() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".kinds (kind text PRIMARY KEY)",
                    "INSERT INTO " + SCHEMA + ".kinds VALUES ('a'), ('b')",
                    "ALTER TABLE " + DAILY + " ADD COLUMN kind text REFERENCES " + SCHEMA + ".kinds",
                    "INSERT INTO " + DAILY + " (event_date, kind) SELECT current_date + 3 + g % 3, CASE WHEN g % 2 = 0 THEN 'a' END "
                            + "FROM generate_series(1, 90) g");
            String before = SqlRows.fingerprint(connection, DAILY);
            run(REPARTITION_A_DAY_A_BATCH).update();
            assertEquals(before, SqlRows.fingerprint(connection, DAILY));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM pg_inherits i WHERE i.inhparent = '" + DAILY + "'::regclass "
                    + "AND (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = i.inhrelid AND k.contype = 'f') <> 1"), "one foreign key each");
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM pg_constraint k JOIN pg_inherits i ON i.inhrelid = k.conrelid "
                    + "WHERE i.inhparent = '" + DAILY + "'::regclass AND k.contype = 'f' AND k.conparentid = 0"), "no second, unattached copy");
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }

    /** Names that need quoting, with holes to fill (fillGaps, pg_partman's show_partition_info): the move goes through. */
    @Test
    void namesThatNeedQuotingWithHolesToFill() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + SCHEMA + ".\"Daily Events\" (id bigint NOT NULL, \"Event Date\" date NOT NULL) "
                    + "PARTITION BY RANGE (\"Event Date\")",
                    TestDatabase.createParentSql(SCHEMA + ".Daily Events", "Event Date", "1 day", "p_premake := 1"),
                    "INSERT INTO " + SCHEMA + ".\"Daily Events\" SELECT g, current_date + 3 + g % 2 * 3 FROM generate_series(1, 50) g");
            String before = SqlRows.fingerprint(connection, SCHEMA + ".\"Daily Events\"");
            SqlRows.execute(connection, generatedSql(connection, "Daily Events"));
            assertEquals(before, SqlRows.fingerprint(connection, SCHEMA + ".\"Daily Events\""));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + SCHEMA + ".\"Daily Events_default\""));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + SCHEMA + "'::regnamespace "
                    + "AND relname = (partman.show_partition_name('" + SCHEMA + ".Daily Events', (current_date + 5)::text)).partition_table"),
                    "the hole between the two days was filled");
            assertNothingLeftBehind(connection, SCHEMA);
        }
    }


    /**
     * What makes the swap cheap for readers: PostgreSQL's own messages say that ATTACH checked no
     * new partition by scanning, since its bounds constraint proves it, and scanned only the new DEFAULT,
     * which holds only rows that arrived for other ranges during the move.
     */
    @Test
    void attachScansNeitherTheNewPartitionNorTheDefault() throws Exception {
        run(DAILY_TABLE).update();
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (event_date) SELECT current_date + 3 + g % 3 FROM generate_series(1, 30) g");
            String sql = generatedSql(connection, "events_daily");
            statement.execute("SET client_min_messages = debug1");
            statement.execute(sql);
            List<String> messages = new ArrayList<>();
            for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                messages.add(warning.getMessage());
            }
            statement.execute("RESET client_min_messages");
            // Days 3 to 5 and the hole at day 2 (premake 1 made today and tomorrow), each attached to the staging table, then to the parent.
            assertEquals(8, messages.stream().filter(m -> m.matches("partition constraint for table \"events_daily_p\\w+\" is implied by existing constraints")).count(), messages::toString);
            assertEquals(List.of(), messages.stream().filter(m -> m.matches("verifying table \"events_daily_p\\w+\"")).toList());
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
        }
    }
}
