package liquibase.ext.partman.bench;

import static liquibase.ext.partman.bench.Figures.latencies;
import static liquibase.ext.partman.bench.Figures.median;
import static liquibase.ext.partman.bench.Figures.number;
import static liquibase.ext.partman.bench.Figures.row;
import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import liquibase.Scope;
import liquibase.ext.partman.sql.MaintenanceProcedure;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ui.LoggerUIService;

/**
 * Issue 20's "Show it": pg_partman's maintenance against a long report, the old way and ours, side
 * by side in one run. Each method gets a fresh copy of the same table set: statistics_daily_users,
 * monthly partitions from 12 months ago, premake 3, retention 6 months due (drop), 200,000 rows,
 * made by a Liquibase update of a small changelog that also installs our procedure with
 * installPartmanMaintenance (what users get). Then a report transaction reads the table and stays
 * open {@code --report-s} (20) seconds; {@code --start-after-s} (1) second after it began the
 * maintenance call starts; an application query {@code select count(*) ... where stat_date =
 * current_date} runs every {@code --pace-ms} (50) ms throughout. {@code --premake-due N} drops the N
 * newest partitions first, as if N months had turned since the last maintenance: premake then has
 * partitions to create and attach next to the DEFAULT (0 by default: only retention is due). Methods:
 * <ul>
 *   <li>{@code CALL partman.run_maintenance_proc()}: the pack's job before issue 20;</li>
 *   <li>{@code CALL <schema>.partman_maintenance(p_lock_timeout => '200ms', p_retry_for => '5 minutes')}:
 *       the job schedulePartmanMaintenance makes with the pack's settings ({@code --lock-timeout},
 *       {@code --retry-for}).</li>
 * </ul>
 * Printed per method: the application's p50/p99/longest wait over the queries started from the
 * report's start until maintenance ended (or the report, whichever is later); whether and when
 * maintenance completed, relative to the report's end (a call still running {@code --wait-s} (60)
 * seconds after the report's end is cancelled; a call that returned counts as completed only when
 * {@code run_maintenance_proc()} run again afterwards, with nothing in its way, changes no
 * partition); the partitions before and after, and whether ours leaves what pg_partman's own
 * procedure leaves once it completes, on the copy of the same repeat. {@code --repeat N}
 * prints medians. It prints only: no target is asserted. Its own database
 * ({@value #DATABASE}), so that "every table with automatic maintenance on" is this table only.
 * Run it with {@code bench/maintenance-stall.sh}.
 */
public final class MaintenanceStallBenchmark {

    private static final String DATABASE = "partman_bench_maintenance";
    private static final String SCHEMA = "bench_maintenance";
    private static final String TABLE_NAME = "statistics_daily_users";
    private static final String TABLE = SCHEMA + "." + TABLE_NAME;
    private static final String OLD = "run_maintenance_proc()";
    private static final String OURS = "partman_maintenance";
    /** Liquibase's INFO lines, one set per fresh copy, would bury the figures; held here so that the level sticks. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private final Map<String, String> options;
    private final String url;
    private final long reportMillis;
    private final long startAfterMillis;
    private final long waitMillis;

    private MaintenanceStallBenchmark(Map<String, String> options) throws SQLException {
        this.options = options;
        this.url = TestDatabase.urlOfDatabase(DATABASE);
        this.reportMillis = Math.round(Double.parseDouble(options.get("--report-s")) * 1000);
        this.startAfterMillis = Math.round(Double.parseDouble(options.get("--start-after-s")) * 1000);
        this.waitMillis = Math.round(Double.parseDouble(options.get("--wait-s")) * 1000);
    }

    public static void main(String[] args) throws Exception {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
        Map<String, String> options = new LinkedHashMap<>(Map.of("--rows", "200000", "--report-s", "20", "--start-after-s", "1",
                "--pace-ms", "50", "--lock-timeout", "200ms", "--retry-for", "5 minutes", "--wait-s", "60", "--repeat", "1",
                "--premake-due", "0"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; the options are " + options.keySet());
            }
            options.put(args[i], args[i + 1]);
        }
        new MaintenanceStallBenchmark(options).run();
        System.exit(0);
    }

    /**
     * One method's run: the application's latencies, when the maintenance call ended relative to
     * the report's end (NaN: still running, cancelled), why it did not complete (null: it did), the
     * partitions before and after, and those left by pg_partman's own maintenance run once more on
     * that copy with nothing in its way (what complete maintenance leaves).
     */
    private record Result(Latencies application, double doneAfterReport, String failure, List<String> before, List<String> after,
                          List<String> settled) {
    }

    private void run() throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "CREATE SCHEMA IF NOT EXISTS partman", "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman");
            System.out.printf(Locale.ROOT, "%s, pg_partman %s%s; %d CPUs, load average %s%n",
                    SqlRows.value(connection, "SELECT split_part(version(), ' on ', 1)"), TestDatabase.partmanVersion(),
                    System.getenv("PARTMAN_TEST_BED") == null ? "" : " (bed " + System.getenv("PARTMAN_TEST_BED") + ")",
                    Runtime.getRuntime().availableProcessors(), loadAverage());
        }
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put(OLD, "CALL partman.run_maintenance_proc()");
        calls.put(OURS, new MaintenanceProcedure(SCHEMA).call(SqlText.literal(options.get("--lock-timeout")),
                SqlText.literal(options.get("--retry-for")), null));
        Map<String, List<Result>> results = new LinkedHashMap<>();
        int repeats = Integer.parseInt(options.get("--repeat"));
        try {
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (Map.Entry<String, String> call : calls.entrySet()) {
                    Result result = measure(call.getValue());
                    results.computeIfAbsent(call.getKey(), key -> new ArrayList<>()).add(result);
                    System.out.printf(Locale.ROOT, "run %d, %s: longest wait %.3f s, %s, partitions %d -> %d%n", repeat, call.getKey(),
                            result.application().max(), done(List.of(result)), result.before().size(), result.after().size());
                }
            }
        } finally {
            TestDatabase.resetSchema(url, SCHEMA);
            try (Connection connection = DriverManager.getConnection(url)) {
                SqlRows.execute(connection, "DROP SCHEMA " + SCHEMA);
            }
        }
        print(calls, results);
    }

    private Result measure(String call) throws Exception {
        prepare();
        List<String> before;
        try (Connection connection = DriverManager.getConnection(url)) {
            before = partitions(connection);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        Client application = new Client("application", url, Long.parseLong(options.get("--pace-ms")), running, measuring, false,
                "SELECT count(*) FROM " + TABLE + " WHERE stat_date = current_date", PreparedStatement::execute);
        application.start();
        Thread.sleep(1000);
        Maintenance maintenance = new Maintenance(call);
        double doneAfterReport;
        String failure;
        try (Connection report = DriverManager.getConnection(url)) {
            report.setAutoCommit(false);
            SqlRows.value(report, "SELECT count(*) FROM " + TABLE);
            measuring.set(true);
            long reportStart = System.nanoTime();
            Thread.sleep(startAfterMillis);
            maintenance.start();
            Thread.sleep(Math.max(0, reportMillis - (System.nanoTime() - reportStart) / 1_000_000));
            report.commit();
            long reportEnd = System.nanoTime();
            maintenance.join(waitMillis);
            if (maintenance.isAlive()) {
                maintenance.cancel();
                maintenance.join();
                doneAfterReport = Double.NaN;
                failure = "still running " + options.get("--wait-s") + " s after the report's end (cancelled)";
            } else {
                doneAfterReport = (maintenance.end - reportEnd) / 1e9;
                failure = maintenance.failure;
            }
        }
        measuring.set(false);
        running.set(false);
        application.join();
        failure = Client.failureBeside(failure, List.of(application));
        List<String> after;
        List<String> settled;
        try (Connection connection = DriverManager.getConnection(url)) {
            after = partitions(connection);
            if (failure == null && call.contains(OURS)) {
                failure = notCompleted(connection);
            }
            SqlRows.execute(connection, "CALL partman.run_maintenance_proc()");
            settled = partitions(connection);
        }
        // A call can return without having done the work: pg_partman 5.5 turns a set's error into a WARNING.
        if (failure == null && !after.equals(settled)) {
            failure = "returned, but pg_partman's maintenance run again with nothing in its way still changed partitions";
        }
        return new Result(application.latencies(), doneAfterReport, failure, before, after, settled);
    }

    /** Our procedure returns after deferring what it could not lock: completion is in its state table. */
    private static String notCompleted(Connection connection) throws SQLException {
        List<Map<String, Object>> state = SqlRows.query(connection, "SELECT last_completed_at, deferrals, last_error FROM "
                + new MaintenanceProcedure(SCHEMA).stateTable() + " WHERE parent_table = '" + TABLE + "'");
        if (state.isEmpty() || state.get(0).get("last_completed_at") == null) {
            return "not completed: " + (state.isEmpty() ? "no state" : "deferrals " + state.get(0).get("deferrals")
                    + ", last error " + state.get(0).get("last_error"));
        }
        return null;
    }

    /** The maintenance call on a connection of its own: when it ended, and its error. */
    private final class Maintenance extends Thread {

        private final String call;
        private volatile Statement statement;
        private volatile long end;
        private volatile String failure;

        Maintenance(String call) {
            super("maintenance");
            this.call = call;
        }

        @Override
        public void run() {
            try (Connection connection = DriverManager.getConnection(url); Statement running = connection.createStatement()) {
                statement = running;
                running.execute(call);
            } catch (SQLException e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            }
            end = System.nanoTime();
        }

        void cancel() throws SQLException {
            if (statement != null) {
                statement.cancel();
            }
        }
    }

    /**
     * A fresh copy of the table set, by a Liquibase update of the changelog below into an emptied
     * schema (DATABASECHANGELOG lives there too): nothing else in this database is maintained.
     */
    private void prepare() throws Exception {
        TestDatabase.resetSchema(url, SCHEMA);
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlRows.execute(connection, "DELETE FROM partman.part_config");
        }
        LocalDate start = LocalDate.now().withDayOfMonth(1).minusMonths(12);
        LiquibaseRun update = LiquibaseRun.of("changelog.xml", xmlChangeLog("""
                  <changeSet id="%2$s" author="bench">
                    <sql>CREATE TABLE %1$s.%2$s (stat_date date NOT NULL, user_id bigint NOT NULL, visits int NOT NULL,
                        PRIMARY KEY (stat_date, user_id)) PARTITION BY RANGE (stat_date)</sql>
                    <partman:createPartmanParent schemaName="%1$s" tableName="%2$s" controlColumn="stat_date" interval="1 month"
                        premake="3" startPartition="%3$s"/>
                    <partman:setRetention schemaName="%1$s" tableName="%2$s" retention="6 months" retentionKeepTable="false"/>
                    <sql>INSERT INTO %1$s.%2$s SELECT current_date - g %% (current_date - DATE '%3$s' + 1), g, g %% 100
                        FROM generate_series(1, %4$s) g</sql>
                  </changeSet>
                  <changeSet id="maintenance-procedure" author="bench">
                    <partman:installPartmanMaintenance schemaName="%1$s"/>
                  </changeSet>
                """.formatted(SCHEMA, TABLE_NAME, start, Long.parseLong(options.get("--rows")))), url, SCHEMA);
        // Liquibase's messages to the console go to its log, which shows warnings only here.
        Scope.child(Scope.Attr.ui, new LoggerUIService(), update::update);
        try (Connection connection = DriverManager.getConnection(url)) {
            // Months that have turned since the last maintenance: premake must create (ATTACH next to the DEFAULT) the newest ones again.
            for (String partition : SqlRows.strings(connection, "SELECT partition_schemaname || '.' || partition_tablename FROM "
                    + "partman.show_partitions('" + TABLE + "', 'DESC') LIMIT " + Integer.parseInt(options.get("--premake-due")))) {
                SqlRows.execute(connection, "DROP TABLE " + partition);
            }
            SqlRows.execute(connection, "VACUUM ANALYZE " + TABLE, "CHECKPOINT");
        }
    }

    /** The partitions, with their bounds, by name (each copy has the same names). */
    private static List<String> partitions(Connection connection) throws SQLException {
        return SqlRows.strings(connection, "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + TABLE + "'::regclass ORDER BY c.relname");
    }

    private static String names(List<String> partitions) {
        return String.join(" ", partitions.stream().map(partition -> partition.substring(0, partition.indexOf(' '))).toList());
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** "done 0.31 s after the report's end" (medians), or why not. */
    private static String done(List<Result> runs) {
        List<Result> completed = runs.stream().filter(run -> run.failure() == null).toList();
        if (completed.isEmpty()) {
            return "not done: " + runs.get(0).failure();
        }
        double after = median(completed, Result::doneAfterReport);
        return String.format(Locale.ROOT, "done %.1f s %s the report's end%s", Math.abs(after), after < 0 ? "before" : "after",
                completed.size() == runs.size() ? "" : " in " + completed.size() + " of " + runs.size() + " runs (else: "
                        + runs.stream().filter(run -> run.failure() != null).findFirst().orElseThrow().failure() + ")");
    }

    /**
     * A Markdown table, as README shows it: medians over the repeats; the partitions of our run
     * compared with those pg_partman's own procedure left in the same repeat, on the same copy.
     */
    private void print(Map<String, String> calls, Map<String, List<Result>> results) {
        int repeats = Integer.parseInt(options.get("--repeat"));
        String bed = System.getenv("PARTMAN_TEST_BED") == null ? "pg15" : System.getenv("PARTMAN_TEST_BED");
        System.out.println();
        System.out.printf(Locale.ROOT, "%s, pg_partman %s: a %s s report, maintenance from %s s, the application every %s ms; "
                        + "%,d rows; premake due for %s partition(s); %s; load average now %s%n", bed, TestDatabase.partmanVersion(),
                options.get("--report-s"), options.get("--start-after-s"), options.get("--pace-ms"), Long.parseLong(options.get("--rows")),
                options.get("--premake-due"),
                repeats > 1 ? "medians of " + repeats + " runs" : "one run", loadAverage());
        System.out.println();
        row(List.of("bed", "method", "app p50/p99/longest wait s", "longest of all runs s", "maintenance", "partitions before -> after",
                "same as run_maintenance_proc() leaves"));
        row(List.of("---", "---", "---", "---", "---", "---", "---"));
        List<Result> reference = results.get(OLD);
        for (Map.Entry<String, List<Result>> method : results.entrySet()) {
            List<Result> runs = method.getValue();
            String match;
            if (method.getKey().equals(OLD)) {
                match = "(reference)";
            } else {
                long same = 0;
                for (int i = 0; i < runs.size(); i++) {
                    same += runs.get(i).before().equals(reference.get(i).before()) && runs.get(i).after().equals(reference.get(i).settled()) ? 1 : 0;
                }
                match = same == runs.size() ? "yes" : "no, in " + (runs.size() - same) + " of " + runs.size() + " runs";
            }
            row(List.of(bed, "`" + calls.get(method.getKey()) + "`", latencies(runs, Result::application),
                    number("%.3f", runs.stream().mapToDouble(run -> run.application().max()).max().orElse(Double.NaN)), done(runs),
                    number("%.0f", median(runs, run -> run.before().size())) + " -> " + number("%.0f", median(runs, run -> run.after().size())),
                    match));
        }
        for (Map.Entry<String, List<Result>> method : results.entrySet()) {
            Result last = method.getValue().get(method.getValue().size() - 1);
            System.out.printf("%n%s, last run:%n  before: %s%n  after:  %s%n", method.getKey(), names(last.before()), names(last.after()));
        }
    }
}
