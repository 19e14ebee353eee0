package liquibase.ext.partman.pack;

import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The pack's update of one schema in a JVM of its own, as another instance of an application or a
 * deploy job runs it: for tests that run two at once or kill one. Such tests hold a lock the update
 * needs, so that it stops at a known point, and {@link #await} that point.
 */
final class PackUpdateProcess {

    interface Condition {
        boolean holds() throws Exception;
    }

    private PackUpdateProcess() {
    }

    /** Starts the update; output in ExternalProcess.log(name). */
    static Process start(String name, String schema, String... systemProperties) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalProcess.javaExecutable(), "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(systemProperties));
        command.addAll(List.of(PackUpdateProcess.class.getName(), schema));
        return ExternalProcess.start(name, null, Map.of(TestDatabase.URL_VARIABLE, TestDatabase.url()), command);
    }

    /** Returns once the condition holds; fails if it does not within a minute, or if every update ends first. */
    static void await(String what, List<Process> updates, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.holds()) {
            if (updates.stream().noneMatch(Process::isAlive)) {
                throw new AssertionError("the update ended before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** True when another session waits for a lock that the blocker's session holds. */
    static boolean waitsFor(Connection blocker) throws Exception {
        Object blockerPid = SqlRows.value(blocker, "SELECT pg_backend_pid()");
        try (Connection observer = TestDatabase.connect()) {
            return SqlRows.exists(observer, "SELECT 1 FROM pg_stat_activity WHERE " + blockerPid + " = ANY (pg_blocking_pids(pid))");
        }
    }

    public static void main(String[] args) throws Exception {
        new PackChangeLog(args[0]).run().update();
    }
}
