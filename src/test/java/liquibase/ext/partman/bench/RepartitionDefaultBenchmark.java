package liquibase.ext.partman.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.ext.partman.change.CreatePartmanParentChange;
import liquibase.ext.partman.change.RepartitionDefaultChange;
import liquibase.ext.partman.sql.ScriptStatement;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.ext.partman.version.PartmanTargetResolver;
import liquibase.statement.SqlStatement;

/**
 * Moves the same rows out of DEFAULT four ways on the same database, one after the other, while a
 * writer inserts today's rows and a reader looks rows up by id (a query that touches every
 * partition), and prints the times, their ratio to the floor, and both clients' latencies.
 * <ul>
 *   <li>(a) repartitionDefault, as Liquibase runs it with runInTransaction="false";</li>
 *   <li>(b) pg_partman's partition_data_proc (p_wait 0: no pauses);</li>
 *   <li>(b') the guide's single partition_data_time(p_batch_count := 100);</li>
 *   <li>(c) the floor: one transaction that deletes the rows from DEFAULT into a temporary table,
 *       creates the partitions with pg_partman and inserts the rows back.</li>
 * </ul>
 * Run it with {@code bench/repartition-default.sh [--rows N] [--days N] [--batch-size N]}.
 */
public final class RepartitionDefaultBenchmark {

    private static final String SCHEMA = "bench_repartition";
    private static final String TABLE = SCHEMA + ".events";
    private static final String PARTMAN_NAME = "'" + TABLE + "'";

    private final long rows;
    private final int days;
    private final Integer batchSize;
    private final long paceMillis;
    private final List<String> scenarios;

    private RepartitionDefaultBenchmark(long rows, int days, Integer batchSize, long paceMillis, List<String> scenarios) {
        this.rows = rows;
        this.days = days;
        this.batchSize = batchSize;
        this.paceMillis = paceMillis;
        this.scenarios = scenarios;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--rows", "1000000", "--days", "60", "--pace-ms", "10",
                "--scenarios", "c,a,b,b'"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        new RepartitionDefaultBenchmark(Long.parseLong(options.get("--rows")), Integer.parseInt(options.get("--days")),
                options.containsKey("--batch-size") ? Integer.valueOf(options.get("--batch-size")) : null,
                Long.parseLong(options.get("--pace-ms")), List.of(options.get("--scenarios").split(","))).run();
        System.exit(0);
    }

    private record Result(String name, double seconds, Latencies reader, Latencies writer, long readerAnomalies) {
    }

    private interface Move {
        void run(Connection connection) throws Exception;
    }

    private void run() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            System.out.printf(Locale.ROOT, "%s, pg_partman %s; %,d rows over %d days in DEFAULT; %d CPUs%n",
                    SqlRows.value(connection, "SELECT split_part(version(), ' on ', 1)"),
                    TestDatabase.partmanVersion(),
                    rows, days, Runtime.getRuntime().availableProcessors());
        }
        Map<String, Move> moves = new LinkedHashMap<>();
        moves.put("c", this::floor);
        moves.put("a", this::repartitionDefault);
        moves.put("b", connection -> SqlRows.execute(connection, "CALL partman.partition_data_proc(p_parent_table := "
                + PARTMAN_NAME + ", p_wait := 0, p_quiet := true)"));
        moves.put("b'", connection -> SqlRows.execute(connection, "SELECT partman.partition_data_time(p_parent_table := "
                + PARTMAN_NAME + ", p_batch_count := 100)"));
        Map<String, String> names = Map.of("c", "(c) floor: one transaction", "a", "(a) repartitionDefault",
                "b", "(b) partition_data_proc", "b'", "(b') partition_data_time x100");
        List<Result> results = new ArrayList<>();
        try {
            for (String scenario : scenarios) {
                results.add(measure(names.get(scenario), moves.get(scenario)));
            }
        } finally {
            TestDatabase.resetSchema(SCHEMA);
            try (Connection connection = TestDatabase.connect()) {
                SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
            }
        }
        print(results);
    }

    private Result measure(String name, Move move) throws Exception {
        System.out.printf("%s: loading %,d rows...%n", name, rows);
        prepare();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong anomalies = new AtomicLong();
        Client reader = new Client("reader", paceMillis, running, measuring, "SELECT count(*) FROM " + TABLE + " WHERE id = ?", statement -> {
            statement.setLong(1, ThreadLocalRandom.current().nextLong(1, rows + 1));
            try (ResultSet found = statement.executeQuery()) {
                found.next();
                if (found.getLong(1) != 1) {
                    anomalies.incrementAndGet();
                }
            }
        });
        AtomicLong nextId = new AtomicLong(2_000_000_000L);
        Client writer = new Client("writer", paceMillis, running, measuring, "INSERT INTO " + TABLE + " (id, created_at, payload) "
                + "VALUES (?, now(), 'writer')", statement -> {
            statement.setLong(1, nextId.incrementAndGet());
            statement.executeUpdate();
        });
        reader.start();
        writer.start();
        Thread.sleep(1000);
        double seconds;
        try (Connection connection = TestDatabase.connect()) {
            inServerTimeZone(connection);
            measuring.set(true);
            long start = System.nanoTime();
            move.run(connection);
            seconds = (System.nanoTime() - start) / 1e9;
            measuring.set(false);
            running.set(false);
            reader.join();
            writer.join();
            long left = SqlRows.count(connection, "SELECT count(*) FROM ONLY " + TABLE + "_default");
            long total = SqlRows.count(connection, "SELECT count(*) FROM " + TABLE + " WHERE id <= " + rows);
            if (left != 0 || total != rows) {
                throw new IllegalStateException(name + ": " + left + " rows left in DEFAULT, " + total + " of " + rows + " rows found");
            }
        }
        System.out.printf(Locale.ROOT, "%s: %.1f s%n", name, seconds);
        return new Result(name, seconds, reader.latencies(), writer.latencies(), anomalies.get());
    }

    /** A fresh table with premake 1 and the rows days 3 to 3 + days ahead, all in DEFAULT; vacuumed, checkpointed. */
    private void prepare() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + TABLE + " (id bigint NOT NULL, created_at timestamptz NOT NULL, "
                    + "payload text, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)");
            CreatePartmanParentChange register = new CreatePartmanParentChange();
            register.setSchemaName(SCHEMA);
            register.setTableName("events");
            register.setControlColumn("created_at");
            register.setInterval("1 day");
            register.setPremake(1);
            register.setAutomaticMaintenance(false);
            execute(connection, register.generateStatements(database(connection)));
            inServerTimeZone(connection);
            SqlRows.execute(connection, "INSERT INTO " + TABLE + " SELECT g, date_trunc('day', now()) + interval '3 days' "
                    + "+ random() * interval '" + days + " days', md5(g::text) FROM generate_series(1, " + rows + ") g",
                    "VACUUM ANALYZE " + TABLE, "CHECKPOINT");
        }
    }

    private void repartitionDefault(Connection connection) throws Exception {
        RepartitionDefaultChange change = new RepartitionDefaultChange();
        change.setSchemaName(SCHEMA);
        change.setTableName("events");
        change.setBatchSize(batchSize);
        change.setChangeSet(new ChangeSet("bench", "bench", false, false, "bench", null, null, false, null));
        Database database = database(connection);
        for (SqlStatement statement : change.generateStatements(database)) {
            Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database).execute(statement);
        }
    }

    private void floor(Connection connection) throws SQLException {
        boolean hasAnalyzeArgument = SqlRows.exists(connection, "SELECT 1 FROM pg_proc WHERE proname = 'create_partition_time' "
                + "AND pronamespace = 'partman'::regnamespace AND 'p_analyze' = ANY(proargnames)");
        connection.setAutoCommit(false);
        SqlRows.execute(connection,
                "CREATE TEMP TABLE moved ON COMMIT DROP AS WITH d AS (DELETE FROM ONLY " + TABLE + "_default RETURNING *) SELECT * FROM d",
                "SELECT partman.create_partition_time(p_parent_table := " + PARTMAN_NAME + ", p_partition_times := "
                        + "ARRAY(SELECT DISTINCT date_trunc('day', created_at) FROM moved ORDER BY 1)"
                        + (hasAnalyzeArgument ? ", p_analyze := false)" : ")"),
                "INSERT INTO " + TABLE + " SELECT * FROM moved");
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** Liquibase's view of the connection, left in autocommit as Liquibase runs a runInTransaction="false" changeset. */
    private static Database database(Connection connection) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDefaultSchemaName(SCHEMA);
        database.setAutoCommit(true);
        return database;
    }

    private static void execute(Connection connection, SqlStatement[] statements) throws SQLException {
        for (SqlStatement statement : statements) {
            SqlRows.execute(connection, ((ScriptStatement) statement).getSql());
        }
    }

    /** pg_partman bounds daily partitions in the session's zone; every session here uses the server's default. */
    private static void inServerTimeZone(Connection connection) throws Exception {
        PartmanTarget target = PartmanTargetResolver.resolve(database(connection), null, null);
        SqlRows.execute(connection, "SET TimeZone = '" + target.timeZone().replace("'", "''") + "'");
    }

    private void print(List<Result> results) {
        double floor = results.stream().filter(result -> result.name().startsWith("(c)")).mapToDouble(Result::seconds)
                .findFirst().orElse(Double.NaN);
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d rows over %d days out of DEFAULT%s; clients every %d ms each%n", rows, days,
                batchSize == null ? "" : ", batchSize " + batchSize, paceMillis);
        System.out.printf(Locale.ROOT, "%-30s %8s %7s  %-28s %-28s %s%n", "", "time s", "x (c)",
                "reader p50/p99/max s", "writer p50/p99/max s", "reader saw a row 0 or 2 times");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "%-30s %8.1f %7.2f  %-28s %-28s %d%n", result.name(), result.seconds(),
                    result.seconds() / floor, result.reader(), result.writer(), result.readerAnomalies());
        }
    }

    private interface Query {
        void run(PreparedStatement statement) throws SQLException;
    }

    /** One query every paceMillis (or back to back: 0) on its own connection; latencies of those started during the move. */
    private static final class Client extends Thread {

        private final long paceMillis;
        private final AtomicBoolean running;
        private final AtomicBoolean measuring;
        private final String sql;
        private final Query query;
        private final List<Double> seconds = new ArrayList<>();
        private volatile Exception failure;

        Client(String name, long paceMillis, AtomicBoolean running, AtomicBoolean measuring, String sql, Query query) {
            super(name);
            this.paceMillis = paceMillis;
            this.running = running;
            this.measuring = measuring;
            this.sql = sql;
            this.query = query;
        }

        @Override
        public void run() {
            try (Connection connection = TestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
                while (running.get()) {
                    // A query that starts during the move counts, even when the move's end releases it.
                    boolean duringMove = measuring.get();
                    long start = System.nanoTime();
                    query.run(statement);
                    long took = System.nanoTime() - start;
                    if (duringMove) {
                        synchronized (seconds) {
                            seconds.add(took / 1e9);
                        }
                    }
                    Thread.sleep(Math.max(0, paceMillis - took / 1_000_000));
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        Latencies latencies() {
            if (failure != null) {
                throw new IllegalStateException(getName() + " failed", failure);
            }
            synchronized (seconds) {
                return Latencies.of(seconds);
            }
        }
    }

    private record Latencies(double p50, double p99, double max, int count) {

        static Latencies of(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                return new Latencies(0, 0, 0, 0);
            }
            return new Latencies(at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1], sorted.length);
        }

        private static double at(double[] sorted, double quantile) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f/%.3f/%.3f (n=%d)", p50, p99, max, count);
        }
    }
}
