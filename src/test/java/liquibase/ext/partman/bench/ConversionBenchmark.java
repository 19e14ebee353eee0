package liquibase.ext.partman.bench;

import static liquibase.ext.partman.bench.Figures.latencies;
import static liquibase.ext.partman.bench.Figures.median;
import static liquibase.ext.partman.bench.Figures.number;
import static liquibase.ext.partman.bench.Figures.row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import liquibase.ext.partman.change.PartitionExistingTableChange;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.statement.SqlStatement;

/**
 * Turns the same plain table into a pg_partman-managed partitioned table three ways, one after the
 * other on a fresh copy, while a writer inserts rows and a reader looks rows up by id, and prints
 * times, their ratio to the floor, both clients' latencies, refused writes, missed rows, the
 * number of transactions that wrote the rows, the converting backend's CPU time (which depends
 * less than the time on what else the machine runs) and peak memory, and the load average.
 * <ul>
 *   <li>(c) the floor: one transaction that locks the table, makes a partitioned table beside it,
 *       registers it, fills it with one {@code INSERT ... SELECT} and swaps the names;</li>
 *   <li>(a) partitionExistingTable, as Liquibase runs it with runInTransaction="false";</li>
 *   <li>(b) pg_partman's documented offline method: the table renamed and a partitioned one
 *       registered in its place (one transaction), then {@code partition_data_proc} from the old
 *       table into it (p_wait 0).</li>
 * </ul>
 * {@code --mode year}: {@code --rows} (5,000,000 by default) over 365 days, monthly partitions;
 * {@code --mode day}: all of them in one day, daily partitions. Run it with {@code bench/conversion.sh}.
 */
public final class ConversionBenchmark {

    private static final String SCHEMA = "bench_convert";
    private static final String TABLE = SCHEMA + ".events";
    private static final Map<String, String> NAMES = Map.of("c", "(c) floor: INSERT ... SELECT under an exclusive lock",
            "a", "(a) partitionExistingTable", "b", "(b) pg_partman's offline method (partition_data_proc)");

    private final Map<String, String> options;
    private final long rows;
    private final int days;
    private final String interval;
    private final long paceMillis;

    private ConversionBenchmark(Map<String, String> options) {
        this.options = options;
        this.rows = Long.parseLong(options.get("--rows"));
        this.days = "day".equals(options.get("--mode")) ? 1 : 365;
        this.interval = "day".equals(options.get("--mode")) ? "1 day" : "1 month";
        this.paceMillis = Long.parseLong(options.get("--pace-ms"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>(Map.of("--rows", "5000000", "--pace-ms", "10", "--scenarios", "c,a,b",
                "--mode", "year", "--repeat", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            given.put(args[i], args[i + 1]);
        }
        for (String mode : "both".equals(given.get("--mode")) ? List.of("year", "day") : List.of(given.get("--mode"))) {
            Map<String, String> options = new LinkedHashMap<>(given);
            options.put("--mode", mode);
            new ConversionBenchmark(options).run();
        }
        System.exit(0);
    }

    private record Result(String name, String failure, double seconds, Latencies reader, Latencies writer, long missed,
                          long refused, long backendPeakKb, long transactions, double backendCpuSeconds) {
    }

    /**
     * A method, in two parts: {@code prepare} does, before the clock starts, what is not the conversion's own work
     * (Liquibase's view of the connection, its classes loaded: a Liquibase update has them before its first
     * changeset); the part it returns is timed.
     */
    private interface Conversion {
        Timed prepare(Connection connection) throws Exception;
    }

    private interface Timed {
        void run() throws Exception;
    }

    private void run() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            System.out.printf(Locale.ROOT, "%s, pg_partman %s; %,d rows over %d day(s), %s partitions; %d CPUs, load average %s%n",
                    SqlRows.value(connection, "SELECT split_part(version(), ' on ', 1)"), TestDatabase.partmanVersion(), rows, days,
                    interval, Runtime.getRuntime().availableProcessors(), loadAverage());
        }
        Map<String, Conversion> conversions = Map.of("c", connection -> () -> floor(connection), "a", this::partitionExistingTable,
                "b", connection -> () -> offline(connection));
        Map<String, List<Result>> results = new LinkedHashMap<>();
        try {
            for (int repeat = 1; repeat <= Integer.parseInt(options.get("--repeat")); repeat++) {
                for (String scenario : options.get("--scenarios").split(",")) {
                    results.computeIfAbsent(scenario, s -> new ArrayList<>()).add(measure(NAMES.get(scenario), conversions.get(scenario)));
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

    private Result measure(String name, Conversion conversion) throws Exception {
        System.out.printf("%s: loading %,d rows...%n", name, rows);
        prepare();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong missed = new AtomicLong();
        Client reader = new Client("reader", TestDatabase.url(), paceMillis, running, measuring, false,
                "SELECT count(*) FROM " + TABLE + " WHERE id = ?", statement -> {
                    statement.setLong(1, ThreadLocalRandom.current().nextLong(1, rows + 1));
                    try (ResultSet found = statement.executeQuery()) {
                        found.next();
                        if (found.getLong(1) != 1) {
                            missed.incrementAndGet();
                        }
                    }
                });
        AtomicLong nextId = new AtomicLong(2_000_000_000L);
        Client writer = new Client("writer", TestDatabase.url(), paceMillis, running, measuring, true,
                "INSERT INTO " + TABLE + " (id, created_at, payload) VALUES (?, now(), 'writer')", statement -> {
                    statement.setLong(1, nextId.incrementAndGet());
                    statement.executeUpdate();
                });
        List<Client> clients = List.of(reader, writer);
        clients.forEach(Thread::start);
        Thread.sleep(1000);
        double seconds = Double.NaN;
        String failure = null;
        long[] peak = new long[1];
        long transactions;
        double cpu = Double.NaN;
        try (Connection connection = TestDatabase.connect()) {
            long backend = SqlRows.count(connection, "SELECT pg_backend_pid()");
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    peak[0] = Math.max(peak[0], anonymousKb(Long.toString(backend)));
                    sleepQuietly(50);
                }
            });
            sampler.start();
            try {
                Timed timed = conversion.prepare(connection);
                measuring.set(true);
                long cpuBefore = cpuNanos(Long.toString(backend));
                long start = System.nanoTime();
                timed.run();
                seconds = (System.nanoTime() - start) / 1e9;
                cpu = (cpuNanos(Long.toString(backend)) - cpuBefore) / 1e9;
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            }
            measuring.set(false);
            running.set(false);
            for (Client client : clients) {
                client.join();
            }
            sampler.join();
            failure = Client.failureBeside(failure, clients);
            if (failure == null) {
                long total = SqlRows.count(connection, "SELECT count(*) FROM " + TABLE + " WHERE id <= " + rows);
                Object kind = SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + TABLE + "'::regclass");
                if (total != rows || !"p".equals(kind)) {
                    failure = total + " of " + rows + " rows found in " + TABLE + " (relkind " + kind + ")";
                }
            }
            transactions = SqlRows.count(connection, "SELECT count(DISTINCT xmin::text) FROM " + TABLE + " WHERE id <= " + rows);
        }
        System.out.printf(Locale.ROOT, "%s: %s%n", name, failure == null ? String.format(Locale.ROOT, "%.1f s", seconds) : "failed: " + failure);
        return new Result(name, failure, seconds, reader.latencies(), writer.latencies(), missed.get(), writer.failures(), peak[0],
                transactions, cpu);
    }

    /** A fresh plain table: the rows over the days before now, primary key (id, created_at); vacuumed, checkpointed. */
    private void prepare() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + TABLE + " (id bigint NOT NULL, created_at timestamptz NOT NULL, payload text)",
                    "INSERT INTO " + TABLE + " SELECT g, date_trunc('day', now()) - random() * interval '" + days + " days', md5(g::text) "
                            + "FROM generate_series(1, " + rows + ") g",
                    "ALTER TABLE " + TABLE + " ADD PRIMARY KEY (id, created_at)",
                    "VACUUM ANALYZE " + TABLE, "CHECKPOINT");
        }
    }

    private String createParent(String table) {
        return "SELECT partman.create_parent(p_parent_table := '" + table + "', p_control := 'created_at', p_type := "
                + (TestDatabase.partmanVersion().atLeast(5, 0) ? "'range'" : "'native'") + ", p_interval := '" + interval
                + "', p_premake := 2, p_start_partition := (SELECT min(created_at)::text FROM " + TABLE + "_old))";
    }

    private void floor(Connection connection) throws SQLException {
        inOneTransaction(connection,
                "LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE",
                "ALTER TABLE " + TABLE + " RENAME TO events_old",
                "CREATE TABLE " + TABLE + " (LIKE " + TABLE + "_old INCLUDING ALL) PARTITION BY RANGE (created_at)",
                createParent(TABLE),
                "INSERT INTO " + TABLE + " SELECT * FROM " + TABLE + "_old");
    }

    private void offline(Connection connection) throws SQLException {
        inOneTransaction(connection,
                "LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE",
                "ALTER TABLE " + TABLE + " RENAME TO events_old",
                "CREATE TABLE " + TABLE + " (LIKE " + TABLE + "_old INCLUDING ALL) PARTITION BY RANGE (created_at)",
                createParent(TABLE));
        SqlRows.execute(connection, "CALL partman.partition_data_proc(p_parent_table := '" + TABLE + "', p_source_table := '"
                + TABLE + "_old', p_wait := 0, p_quiet := true)");
    }

    private Timed partitionExistingTable(Connection connection) throws Exception {
        PartitionExistingTableChange change = new PartitionExistingTableChange();
        change.setSchemaName(SCHEMA);
        change.setTableName("events");
        change.setControlColumn("created_at");
        change.setInterval(interval);
        change.setPremake(2);
        if (options.containsKey("--batch-size")) {
            change.setBatchSize(Integer.valueOf(options.get("--batch-size")));
        }
        change.setChangeSet(new ChangeSet("bench", "bench", false, false, "bench", null, null, false, null));
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDefaultSchemaName(SCHEMA);
        database.setAutoCommit(true);
        // Once untimed, so that the timed run does not load Liquibase's and the extension's classes; it still asks the
        // database which pg_partman it has and renders the SQL.
        change.generateStatements(database);
        return () -> {
            for (SqlStatement statement : change.generateStatements(database)) {
                Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database).execute(statement);
            }
        };
    }

    private static void inOneTransaction(Connection connection, String... statements) throws SQLException {
        connection.setAutoCommit(false);
        try {
            SqlRows.execute(connection, statements);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
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

    /** Time a process has spent on a CPU (/proc/PID/schedstat), in ns; 0 when it cannot be read. */
    private static long cpuNanos(String pid) {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc", pid, "schedstat")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void print(Map<String, List<Result>> results) {
        int repeats = Integer.parseInt(options.get("--repeat"));
        List<Result> floorRuns = results.getOrDefault("c", List.of()).stream().filter(run -> run.failure() == null).toList();
        double floor = median(floorRuns, Result::seconds);
        double floorCpu = median(floorRuns, Result::backendCpuSeconds);
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d rows over %d day(s), %s partitions; a writer and a reader every %d ms each; %s; load average now %s%n",
                rows, days, interval, paceMillis, repeats > 1 ? "medians of " + repeats + " runs" : "one run", loadAverage());
        System.out.println();
        List<String> header = List.of("method", "time s", "x floor", "writer p50/p99/max s", "refused", "reader p50/p99/max s",
                "missed", "txns", "backend CPU s", "CPU x floor", "backend MB");
        row(header);
        row(header.stream().map(cell -> "---").toList());
        for (List<Result> runs : results.values()) {
            List<Result> ok = runs.stream().filter(run -> run.failure() == null).toList();
            if (ok.isEmpty()) {
                row(List.of(runs.get(0).name(), "failed: " + runs.get(0).failure()));
                continue;
            }
            double seconds = median(ok, Result::seconds);
            row(List.of(runs.get(0).name(), number("%.1f", seconds), number("%.2f", seconds / floor), latencies(ok, Result::writer),
                    number("%.0f", median(ok, Result::refused)), latencies(ok, Result::reader),
                    Long.toString(ok.stream().mapToLong(Result::missed).sum()), number("%.0f", median(ok, Result::transactions)),
                    number("%.1f", median(ok, Result::backendCpuSeconds)), number("%.2f", median(ok, Result::backendCpuSeconds) / floorCpu),
                    number("%.0f", median(ok, Result::backendPeakKb) / 1024)));
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
