package liquibase.ext.partman.support;

import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the tests run in a JVM of its own, with this JVM's classpath and the test
 * database: Liquibase as another instance of an application or a deploy job runs it, for tests that
 * run two at once or kill one. Such tests hold a lock the process needs, so that it stops at a
 * known point, and {@link #await} that point.
 */
public final class TestJvm {

    public interface Condition {
        boolean holds() throws Exception;
    }

    private TestJvm() {
    }

    /** Starts {@code mainClass} with the JVM options and arguments; output in ExternalProcess.log(name). */
    public static Process start(String name, Class<?> mainClass, List<String> jvmOptions, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalProcess.javaExecutable(), "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        return ExternalProcess.start(name, null, Map.of(TestDatabase.URL_VARIABLE, TestDatabase.url()), command);
    }

    /** Returns once the condition holds; fails if it does not within a minute, or if every process ends first. */
    public static void await(String what, List<Process> processes, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.holds()) {
            if (processes.stream().noneMatch(Process::isAlive)) {
                throw new AssertionError("the process ended before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** True when another session waits for a lock that the blocker's session holds. */
    public static boolean waitsFor(Connection blocker) throws Exception {
        Object blockerPid = SqlRows.value(blocker, "SELECT pg_backend_pid()");
        try (Connection observer = TestDatabase.connect()) {
            return SqlRows.exists(observer, "SELECT 1 FROM pg_stat_activity WHERE " + blockerPid + " = ANY (pg_blocking_pids(pid))");
        }
    }
}
