package liquibase.ext.partman.bench;

import static liquibase.ext.partman.bench.Figures.latencies;
import static liquibase.ext.partman.bench.Figures.median;
import static liquibase.ext.partman.bench.Figures.number;
import static liquibase.ext.partman.bench.Figures.row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Moves the same rows out of DEFAULT several ways on the same database, one after the other, while
 * a writer inserts today's rows (into an existing partition) and a reader looks rows up by id (a
 * query that touches every partition), and prints times, their ratio to the floor, both clients'
 * latencies, peak memory and the number of transactions that wrote the moved rows.
 * <ul>
 *   <li>(c) the floor: one transaction that deletes the rows from DEFAULT into a temporary table,
 *       creates the partitions with pg_partman and inserts the rows back;</li>
 *   <li>(a) repartitionDefault, as Liquibase runs it with runInTransaction="false";</li>
 *   <li>(b) pg_partman's partition_data_proc (p_wait 0: no pauses);</li>
 *   <li>(async) pg_partman 5.5's partition_data_async (p_wait 0, p_interval {@code --async-interval}, 1 hour by
 *       default), where installed;</li>
 *   <li>(b') the guide's single partition_data_time(p_batch_count := 100);</li>
 *   <li>(m) a control, not a move: once the floor has moved the rows (before the clients start), pg_partman makes one
 *       more partition, as maintenance does each day, and the clients go on for a second. Every change of a table's
 *       partitions makes each session plan its next query of the table again, across every partition: the reader's
 *       longest latency here is what any partition change costs it, the least a move that changes the partitions
 *       many times can cost it.</li>
 * </ul>
 * Modes: {@code --mode many} spreads the rows (1,000,000 by default) over {@code --days} days;
 * {@code --mode huge} puts them (5,000,000 by default) all in one day; {@code --mode both} runs one
 * and then the other. {@code --control date} partitions by a date column (one value per day: the
 * default of {@code --mode huge}), {@code --control timestamptz} by a timestamp (the default of
 * {@code --mode many}). {@code --live true} adds an application writing into the days being moved
 * (its refused writes and latencies); {@code --maintenance true} calls run_maintenance_proc()
 * every 0.2 s (its longest call and failures). {@code --repeat N} runs everything N times and
 * prints medians. {@code --reader-pace-ms} paces the reader apart from the writers ({@code --pace-ms}). {@code --days 60,365,1000} runs the many-days mode once per number of days (the ranges
 * dimension). Each method's backend is sampled every 50 ms for the locks it holds (objects, as PostgreSQL's
 * shared lock table counts them). Run it with {@code bench/repartition-default.sh}.
 */
public final class RepartitionDefaultBenchmark {

    private static final String SCHEMA = "bench_repartition";
    private static final String TABLE = SCHEMA + ".events";
    private static final String PARTMAN_NAME = "'" + TABLE + "'";
    private static final Map<String, String> NAMES = Map.of("c", "(c) floor: one transaction", "a", "(a) repartitionDefault",
            "b", "(b) partition_data_proc", "async", "(async) partition_data_async", "b'", "(b') partition_data_time x100",
            "m", "(m) control: maintenance makes one partition");

    private final Map<String, String> options;
    private final long rows;
    /** The control column: created_on (date) or created_at (timestamptz). */
    private final String control;
    private final String controlType;
    private final int days;
    private final Integer batchSize;
    private final long paceMillis;
    private final long readerPaceMillis;
    private final boolean live;
    private final boolean maintenance;

    private RepartitionDefaultBenchmark(Map<String, String> options) {
        this.options = options;
        this.rows = Long.parseLong(options.get("--rows"));
        this.days = "huge".equals(options.get("--mode")) ? 1 : Integer.parseInt(options.get("--days"));
        this.controlType = options.getOrDefault("--control", "huge".equals(options.get("--mode")) ? "date" : "timestamptz");
        if (!List.of("date", "timestamptz").contains(controlType)) {
            throw new IllegalArgumentException("--control is date or timestamptz, not " + controlType);
        }
        this.control = "date".equals(controlType) ? "created_on" : "created_at";
        this.batchSize = options.containsKey("--batch-size") ? Integer.valueOf(options.get("--batch-size")) : null;
        this.paceMillis = Long.parseLong(options.get("--pace-ms"));
        this.readerPaceMillis = Long.parseLong(options.getOrDefault("--reader-pace-ms", options.get("--pace-ms")));
        this.live = Boolean.parseBoolean(options.get("--live"));
        this.maintenance = Boolean.parseBoolean(options.get("--maintenance"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>(Map.of("--days", "60", "--pace-ms", "10",
                "--scenarios", "c,a,b,async,b'", "--mode", "many", "--live", "false", "--maintenance", "false",
                "--repeat", "1", "--timeout-s", "600", "--async-interval", "1 hour"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            given.put(args[i], args[i + 1]);
        }
        List<String> modes = "both".equals(given.get("--mode")) ? List.of("many", "huge") : List.of(given.get("--mode"));
        for (String mode : modes) {
            for (String days : "huge".equals(mode) ? List.of("1") : List.of(given.get("--days").split(","))) {
                Map<String, String> options = new LinkedHashMap<>(given);
                options.put("--mode", mode);
                options.put("--days", days);
                options.putIfAbsent("--rows", "huge".equals(mode) ? "5000000" : "1000000");
                new RepartitionDefaultBenchmark(options).run();
            }
        }
        System.exit(0);
    }

    private record Result(String name, String failure, double seconds, Latencies reader, Latencies writer, long readerAnomalies,
                          Latencies application, long refused, double maintenanceMax, long maintenanceFailures,
                          long jvmPeakKb, long backendPeakKb, long transactions, long mostLocks) {
    }

    private interface Move {
        void run(Connection connection) throws Exception;
    }

    private void run() throws Exception {
        boolean hasAsync;
        try (Connection connection = TestDatabase.connect()) {
            hasAsync = SqlRows.exists(connection, "SELECT 1 FROM pg_proc WHERE proname = 'partition_data_async'");
            System.out.printf(Locale.ROOT, "%s, pg_partman %s; %,d rows over %d day(s) in DEFAULT, partitioned by a %s column; %d CPUs%n",
                    SqlRows.value(connection, "SELECT split_part(version(), ' on ', 1)"),
                    TestDatabase.partmanVersion(), rows, days, controlType, Runtime.getRuntime().availableProcessors());
        }
        Map<String, Move> moves = new LinkedHashMap<>();
        moves.put("c", this::floor);
        moves.put("a", this::repartitionDefault);
        moves.put("b", connection -> SqlRows.execute(connection, "CALL partman.partition_data_proc(p_parent_table := "
                + PARTMAN_NAME + ", p_wait := 0, p_quiet := true)"));
        // Its slices are p_interval wide, and must be narrower than a partition.
        moves.put("async", connection -> SqlRows.execute(connection, "CALL partman.partition_data_async(p_parent_table := "
                + PARTMAN_NAME + ", p_interval := '" + options.get("--async-interval") + "', p_wait := 0, p_quiet := true)"));
        moves.put("m", connection -> {
            inServerTimeZone(connection);
            SqlRows.execute(connection, "SELECT partman.create_partition_time(p_parent_table := " + PARTMAN_NAME
                    + ", p_partition_times := ARRAY[date_trunc('day', now()) + interval '" + (days + 10) + " days'])", "SELECT pg_sleep(1)");
        });
        moves.put("b'", connection -> SqlRows.execute(connection, "SELECT partman.partition_data_time(p_parent_table := "
                + PARTMAN_NAME + ", p_batch_count := 100)"));
        List<String> scenarios = new ArrayList<>(List.of(options.get("--scenarios").split(",")));
        if (!hasAsync) {
            scenarios.remove("async");
        }
        Map<String, List<Result>> results = new LinkedHashMap<>();
        try {
            for (int repeat = 1; repeat <= Integer.parseInt(options.get("--repeat")); repeat++) {
                for (String scenario : scenarios) {
                    List<Result> earlier = results.computeIfAbsent(scenario, s -> new ArrayList<>());
                    // A method that failed (or timed out) once is not run again: its row says why.
                    if (earlier.stream().noneMatch(run -> run.failure() != null)) {
                        earlier.add(measure(NAMES.get(scenario), "m".equals(scenario) ? this::floor : connection -> { }, moves.get(scenario)));
                    }
                }
            }
        } finally {
            TestDatabase.resetSchema(SCHEMA);
            try (Connection connection = TestDatabase.connect()) {
                SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
            }
        }
        print(results);
    }

    private Result measure(String name, Move beforeClients, Move move) throws Exception {
        System.out.printf("%s: loading %,d rows...%n", name, rows);
        prepare();
        Move measured = move;
        try (Connection connection = TestDatabase.connect()) {
            beforeClients.run(connection);
        } catch (SQLException e) {
            // The method's row says why, as for a move that fails (the control at 3,000 ranges: the floor runs out of locks).
            measured = connection -> {
                throw e;
            };
        }
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong anomalies = new AtomicLong();
        List<Client> clients = new ArrayList<>();
        Client reader = new Client("reader", TestDatabase.url(), readerPaceMillis, running, measuring, false, "SELECT count(*) FROM " + TABLE + " WHERE id = ?", statement -> {
            statement.setLong(1, ThreadLocalRandom.current().nextLong(1, rows + 1));
            try (ResultSet found = statement.executeQuery()) {
                found.next();
                if (found.getLong(1) != 1) {
                    anomalies.incrementAndGet();
                }
            }
        });
        clients.add(reader);
        AtomicLong nextId = new AtomicLong(2_000_000_000L);
        Client writer = new Client("writer", TestDatabase.url(), paceMillis, running, measuring, false, "INSERT INTO " + TABLE + " (id, " + control + ", payload) "
                + "VALUES (?, now(), 'writer')", statement -> {
            statement.setLong(1, nextId.incrementAndGet());
            statement.executeUpdate();
        });
        clients.add(writer);
        AtomicLong nextApplicationId = new AtomicLong(3_000_000_000L);
        Client application = new Client("application", TestDatabase.url(), paceMillis, running, measuring, true, "INSERT INTO " + TABLE
                + " (id, " + control + ", payload) VALUES (?, date_trunc('day', now()) + interval '3 days' + random() * ? * interval '1 day', 'app')",
                statement -> {
                    statement.setLong(1, nextApplicationId.incrementAndGet());
                    statement.setInt(2, days);
                    statement.executeUpdate();
                });
        if (live) {
            clients.add(application);
        }
        Client maintenanceLoop = new Client("maintenance", TestDatabase.url(), 200, running, measuring, true, "CALL partman.run_maintenance_proc()",
                PreparedStatement::execute);
        if (maintenance) {
            clients.add(maintenanceLoop);
        }
        clients.forEach(Thread::start);
        Thread.sleep(1000);
        double seconds = Double.NaN;
        String failure = null;
        long[] peaks = new long[3];
        long transactions;
        try (Connection connection = TestDatabase.connect()) {
            inServerTimeZone(connection);
            SqlRows.execute(connection, "SET statement_timeout = '" + options.get("--timeout-s") + "s'");
            long backend = SqlRows.count(connection, "SELECT pg_backend_pid()");
            Thread sampler = new Thread(() -> {
                try (Connection sampling = TestDatabase.connect();
                     PreparedStatement locks = sampling.prepareStatement("SELECT count(DISTINCT concat_ws(':', locktype, database, "
                             + "relation, page, tuple, virtualxid, transactionid, classid, objid, objsubid)) FROM pg_locks WHERE pid = ?")) {
                    locks.setLong(1, backend);
                    while (running.get()) {
                        peaks[0] = Math.max(peaks[0], anonymousKb("self"));
                        peaks[1] = Math.max(peaks[1], anonymousKb(Long.toString(backend)));
                        try (ResultSet held = locks.executeQuery()) {
                            held.next();
                            peaks[2] = Math.max(peaks[2], held.getLong(1));
                        }
                        sleepQuietly(50);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            sampler.start();
            measuring.set(true);
            long start = System.nanoTime();
            try {
                measured.run(connection);
                seconds = (System.nanoTime() - start) / 1e9;
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                if (failure.contains("canceling statement due to statement timeout")) {
                    failure = "did not finish within " + options.get("--timeout-s") + " s (--timeout-s)";
                }
            }
            measuring.set(false);
            running.set(false);
            for (Client client : clients) {
                client.join();
            }
            sampler.join();
            failure = Client.failureBeside(failure, clients);
            SqlRows.execute(connection, "RESET statement_timeout");
            if (failure == null) {
                long left = SqlRows.count(connection, "SELECT count(*) FROM ONLY " + TABLE + "_default WHERE id <= " + rows);
                long total = SqlRows.count(connection, "SELECT count(*) FROM " + TABLE + " WHERE id <= " + rows);
                if (left != 0 || total != rows) {
                    failure = left + " rows left in DEFAULT, " + total + " of " + rows + " rows found";
                }
            }
            transactions = SqlRows.count(connection, "SELECT count(DISTINCT xmin::text) FROM " + TABLE + " WHERE id <= " + rows);
        }
        System.out.printf(Locale.ROOT, "%s: %s%n", name, failure == null ? String.format(Locale.ROOT, "%.1f s", seconds) : "failed: " + failure);
        return new Result(name, failure, seconds, reader.latencies(), writer.latencies(), anomalies.get(),
                application.latencies(), application.failures(), maintenanceLoop.latencies().max(), maintenanceLoop.failures(),
                peaks[0], peaks[1], transactions, peaks[2]);
    }

    /** Private resident memory (RssAnon) of a process, in kB; 0 when it cannot be read (the process ended). */
    private static long anonymousKb(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** A fresh table with premake 1 and the rows days 3 to 3 + days ahead, all in DEFAULT; primary key (id, control); vacuumed, checkpointed. */
    private void prepare() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + TABLE + " (id bigint NOT NULL, " + control + " " + controlType + " NOT NULL, "
                    + "payload text) PARTITION BY RANGE (" + control + ")");
            CreatePartmanParentChange register = new CreatePartmanParentChange();
            register.setSchemaName(SCHEMA);
            register.setTableName("events");
            register.setControlColumn(control);
            register.setInterval("1 day");
            register.setPremake(1);
            register.setAutomaticMaintenance(maintenance);
            execute(connection, register.generateStatements(database(connection)));
            inServerTimeZone(connection);
            SqlRows.execute(connection, "INSERT INTO " + TABLE + " SELECT g, date_trunc('day', now()) + interval '3 days' "
                    + "+ random() * interval '" + days + " days', md5(g::text) FROM generate_series(1, " + rows + ") g",
                    // Built once after the load rather than row by row: millions of rows load in a fraction of the time.
                    "ALTER TABLE " + TABLE + " ADD PRIMARY KEY (id, " + control + ")",
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
        try {
            SqlRows.execute(connection,
                    "CREATE TEMP TABLE moved ON COMMIT DROP AS WITH d AS (DELETE FROM ONLY " + TABLE + "_default RETURNING *) SELECT * FROM d",
                    "SELECT partman.create_partition_time(p_parent_table := " + PARTMAN_NAME + ", p_partition_times := "
                            + "ARRAY(SELECT DISTINCT date_trunc('day', " + control + ") FROM moved ORDER BY 1)"
                            + (hasAnalyzeArgument ? ", p_analyze := false)" : ")"),
                    "INSERT INTO " + TABLE + " SELECT * FROM moved");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
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

    /**
     * A Markdown table, as docs/benchmarks.md shows it: medians, but the reader's missed or doubled
     * rows summed over all runs; failed runs are counted, a method that always failed says why.
     */
    private void print(Map<String, List<Result>> results) {
        int repeats = Integer.parseInt(options.get("--repeat"));
        double floor = results.containsKey("c") ? median(results.get("c").stream().filter(run -> run.failure() == null).toList(),
                Result::seconds) : Double.NaN;
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d rows over %d day(s) (%s) out of DEFAULT%s; writers every %d ms, the reader every %d ms%s%s; %s%n",
                rows, days, controlType, batchSize == null ? "" : ", batchSize " + batchSize, paceMillis, readerPaceMillis, live ? "; application writing into the moving days" : "",
                maintenance ? "; run_maintenance_proc() every 0.2 s" : "", repeats > 1 ? "medians of " + repeats + " runs" : "one run");
        System.out.println();
        List<String> header = new ArrayList<>(List.of("method", "time s", "x floor", "writer p50/p99/max s", "reader p50/p99/max s",
                "missed (all runs)", "failed runs", "txns"));
        if (live) {
            header.addAll(List.of("app p50/p99/max s", "refused"));
        }
        if (maintenance) {
            header.addAll(List.of("maintenance max s", "maintenance failures"));
        }
        header.addAll(List.of("JVM MB", "backend MB", "most locks (sampled)"));
        row(header);
        row(header.stream().map(cell -> "---").toList());
        for (List<Result> runs : results.values()) {
            List<Result> ok = runs.stream().filter(run -> run.failure() == null).toList();
            if (ok.isEmpty()) {
                row(List.of(runs.get(0).name(), "failed: " + runs.get(0).failure()));
                continue;
            }
            double seconds = median(ok, Result::seconds);
            List<String> cells = new ArrayList<>(List.of(runs.get(0).name(), number("%.1f", seconds), number("%.2f", seconds / floor),
                    latencies(ok, Result::writer), latencies(ok, Result::reader), Long.toString(ok.stream().mapToLong(Result::readerAnomalies).sum()),
                    Long.toString(runs.size() - ok.size()), number("%.0f", median(ok, Result::transactions))));
            if (live) {
                cells.addAll(List.of(latencies(ok, Result::application), number("%.0f", median(ok, Result::refused))));
            }
            if (maintenance) {
                cells.addAll(List.of(number("%.2f", median(ok, Result::maintenanceMax)), number("%.0f", median(ok, Result::maintenanceFailures))));
            }
            cells.addAll(List.of(number("%.0f", median(ok, Result::jvmPeakKb) / 1024), number("%.0f", median(ok, Result::backendPeakKb) / 1024),
                    Long.toString(ok.stream().mapToLong(Result::mostLocks).max().orElse(0))));
            row(cells);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
