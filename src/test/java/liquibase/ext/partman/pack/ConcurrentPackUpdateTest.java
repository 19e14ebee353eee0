package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ext.partman.support.TestJvm;

/**
 * Two updates of the pack started at the same moment on the same schema, as two instances of an
 * application starting together: each a JVM of its own with its own connection. What they leave
 * behind is exactly what one update leaves behind in another schema.
 * <p>
 * Two JVMs started together do not always overlap (one may finish before the other has started),
 * so where the test needs them to, it makes the first update slow: it holds a lock on
 * DATABASECHANGELOG that keeps the first update from recording its first changeset, while it holds
 * Liquibase's lock, until the second is seen waiting for that lock.
 * <p>
 * Separate JVMs, not two threads: Liquibase keeps its lock and history services in JVM-wide
 * singletons that concurrent updates in one JVM reset under each other (liquibase/liquibase#7956),
 * which would test Liquibase's bookkeeping rather than what users run.
 */
class ConcurrentPackUpdateTest {

    private static final String SCHEMA = "pack_concurrent";
    private static final String ALONE = "pack_alone";
    /** The waiting update looks at the lock every second (Liquibase's default: every 10). */
    private static final String POLL_EVERY_SECOND = "-Dliquibase.changelogLockPollRate=1";
    private static final String WAITING = "Waiting for changelog lock";

    private static State oneUpdate;

    private record Outcome(int exitCode, String output) {
    }

    @BeforeAll
    static void oneUpdateAlone() throws Exception {
        PackChangeLog.reset(ALONE);
        new PackChangeLog(ALONE).run().update();
        oneUpdate = State.of(ALONE);
    }

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void onASchemaLiquibaseAlreadyManagesOneWaitsForTheLock() throws Exception {
        // The application's earlier deployments: Liquibase's own tables are there.
        LiquibaseRun.of("earlier.xml", LiquibaseRun.xmlChangeLog(""), TestDatabase.url(), SCHEMA).update();

        List<Process> updates;
        try (Connection blocker = TestDatabase.connect()) {
            blocker.setAutoCommit(false);
            SqlRows.execute(blocker, "LOCK TABLE " + SCHEMA + ".databasechangelog IN SHARE MODE");
            updates = startTwoUpdates();
            TestJvm.await("one update holds Liquibase's lock and the other waits for it", updates,
                    () -> TestJvm.waitsFor(blocker) && (log(1).contains(WAITING) || log(2).contains(WAITING)));
            blocker.rollback();
        }
        List<Outcome> outcomes = outcomesOf(updates);

        assertEquals(List.of(0, 0), outcomes.stream().map(Outcome::exitCode).toList(), () -> outcomes.toString());
        assertSameAsOneUpdate();
    }

    /**
     * Where Liquibase never ran, both updates may create DATABASECHANGELOG at once: Liquibase 4.33
     * creates it while it reads the changelog, before it takes its lock (liquibase/liquibase#2315).
     * The one that loses stops there, having changed nothing and holding no lock; started again, it
     * completes.
     */
    @Test
    void onANewSchemaAnUpdateMayStopBeforeChangingAnythingAndARerunCompletes() throws Exception {
        List<Outcome> outcomes = outcomesOf(startTwoUpdates());

        assertTrue(outcomes.stream().anyMatch(outcome -> outcome.exitCode() == 0), () -> outcomes.toString());
        for (Outcome failed : outcomes.stream().filter(outcome -> outcome.exitCode() != 0).toList()) {
            assertTrue(failed.output().contains("CREATE TABLE " + SCHEMA + ".databasechangelog"), failed::output);
            try (Connection connection = TestDatabase.connect()) {
                assertEquals(Boolean.FALSE, SqlRows.value(connection, "SELECT locked FROM " + SCHEMA + ".databasechangeloglock"));
            }
            new PackChangeLog(SCHEMA).run().update();
        }
        assertSameAsOneUpdate();
    }

    private static List<Process> startTwoUpdates() throws Exception {
        return List.of(PackUpdateProcess.start(name(1), SCHEMA, POLL_EVERY_SECOND),
                PackUpdateProcess.start(name(2), SCHEMA, POLL_EVERY_SECOND));
    }

    private static List<Outcome> outcomesOf(List<Process> updates) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            Process update = updates.get(i);
            if (!update.waitFor(2, TimeUnit.MINUTES)) {
                update.destroyForcibly();
                throw new AssertionError("update " + (i + 1) + " did not finish in 2 minutes");
            }
            outcomes.add(new Outcome(update.exitValue(), log(i + 1)));
        }
        return outcomes;
    }

    private static String name(int update) {
        return "pack-update-concurrent-" + update;
    }

    private static String log(int update) throws Exception {
        return Files.readString(ExternalProcess.log(name(update)));
    }

    /** The same policies, partitions, job, changelog rows and undo records; every changeset applied by one update. */
    private static void assertSameAsOneUpdate() throws Exception {
        assertEquals(oneUpdate, State.of(SCHEMA));
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(1, SqlRows.count(connection, "SELECT count(DISTINCT deployment_id) FROM " + SCHEMA + ".databasechangelog"));
        }
    }

    /**
     * What an update leaves behind, with the schema's name taken out so that two schemas compare.
     * Not the checksums: the schema is a changelog parameter, and parameters are part of them.
     */
    private record State(List<String> policies, List<String> partitions, List<String> jobs, List<String> changeLog,
                         List<String> undoLog) {

        static State of(String schema) throws Exception {
            String name = "'" + schema + "'";
            try (Connection connection = TestDatabase.connect()) {
                return new State(
                        SqlRows.strings(connection, "SELECT replace(to_jsonb(c)::text, " + name + ", 'S') "
                                + "FROM partman.part_config c WHERE parent_table LIKE '" + schema + ".%' ORDER BY parent_table"),
                        SqlRows.strings(connection, "SELECT p.relname || ' ' || c.relname FROM pg_inherits i "
                                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                                + "WHERE p.relnamespace = " + name + "::regnamespace ORDER BY 1"),
                        SqlRows.strings(connection, "SELECT replace(concat_ws(' ', schedule, command, database, active), " + name + ", 'S') FROM cron.job "
                                + "WHERE jobname = '" + PackChangeLog.jobName(schema) + "'"),
                        SqlRows.strings(connection, "SELECT concat_ws(' ', orderexecuted, filename, id, author, exectype) "
                                + "FROM " + schema + ".databasechangelog ORDER BY orderexecuted"),
                        SqlRows.strings(connection, "SELECT regexp_replace(replace(concat_ws(' ', change_key, parent_table, action, previous), "
                                + name + ", 'S'), '\"jobid\": [0-9]+', '\"jobid\": N') FROM " + schema + ".partman_change_undo ORDER BY 1"));
            }
        }
    }
}
