package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseLog;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The pack applied to a database where the guide's SQL was already run by hand: it adopts what is
 * there, without an error, a second registration or a second job, and without touching a row,
 * and says so in the log. Rolling the pack back then leaves the hand-made set-up exactly as it was.
 */
class BrownfieldAdoptionTest {

    private static final String SCHEMA = "pack_brownfield";
    private static final String JOB = PackChangeLog.jobName(SCHEMA);
    /**
     * The guide's job runs maintenance every hour, over every table in the database. The test
     * cluster is shared with other tests, so the job gets a schedule that does not come round
     * (February 29th, 03:00) instead; adoption does not depend on the schedule's text.
     */
    private static final String SCHEDULE = "0 3 29 2 *";

    private static final String POLICIES = "SELECT parent_table, to_jsonb(c) - 'parent_table' AS config FROM partman.part_config c "
            + "WHERE parent_table LIKE 'pack_brownfield.%' ORDER BY parent_table";
    private static final String JOB_ROW = "SELECT jobid, schedule, command, database, username, active FROM cron.job WHERE jobname = '"
            + JOB + "'";
    private static final String PARTITIONS = "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i "
            + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            + "WHERE p.relnamespace = 'pack_brownfield'::regnamespace";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void adoptsTheGuideSetUpAndRollsBackToIt() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            GuideSetUp.run(connection, SCHEMA, SCHEDULE);
            GuideSetUp.insertRows(connection, SCHEMA);
        }
        Snapshot before = Snapshot.take();

        LiquibaseRun run = new PackChangeLog(SCHEMA)
                .with("partman.pack.maintenance.schedule", SCHEDULE)
                .with("partman.pack.maintenance.active", "true")
                .run();
        List<String> log = LiquibaseLog.of(run::update);

        Snapshot adopted = Snapshot.take();
        assertEquals(before.rows(), adopted.rows(), "no row touched");
        assertEquals(before.partitions(), adopted.partitions(), "no partition made or dropped");
        // The guide's job taken over, not a second one; maintenance-job-2 then moves its command to the bounded procedure.
        Map<String, Object> takenOver = new LinkedHashMap<>(before.job().get(0));
        takenOver.put("command", "CALL \"" + SCHEMA + "\".\"partman_maintenance\"(p_lock_timeout => '200ms', p_retry_for => '5 minutes')");
        assertEquals(List.of(takenOver), adopted.job());
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(1, SqlRows.count(connection, "SELECT count(*) FROM cron.job WHERE jobname = '" + JOB + "'"));
            assertEquals(List.of("MARK_RAN", "MARK_RAN", "MARK_RAN"), SqlRows.strings(connection, "SELECT exectype FROM "
                    + SCHEMA + ".databasechangelog WHERE id LIKE '%-table' ORDER BY orderexecuted"));
            // The pack's policy on top: the guide left these at pg_partman's defaults for two tables.
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE "
                    + "'pack_brownfield.%' AND infinite_time_partitions AND NOT retention_keep_index"));
        }
        for (String table : PackChangeLog.TABLES) {
            assertLogged(log, table + " already exists; the pack adopts it as it is");
            assertLogged(log, SCHEMA + "." + table + " is already managed by pg_partman with the same control column and "
                    + "interval; adopting the existing registration unchanged");
        }

        run.rollbackCount(PackChangeLog.CHANGE_SETS);
        Snapshot rolledBack = Snapshot.take();
        assertEquals(before.rows(), rolledBack.rows());
        assertEquals(before.partitions(), rolledBack.partitions());
        assertEquals(before.policies(), rolledBack.policies(), "the guide's settings, exactly");
        assertEquals(before.job(), rolledBack.job());
    }

    private record Snapshot(List<Map<String, Object>> rows, Object partitions, List<Map<String, Object>> policies,
                            List<Map<String, Object>> job) {

        static Snapshot take() throws Exception {
            try (Connection connection = TestDatabase.connect()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String table : PackChangeLog.TABLES) {
                    rows.add(Map.of(table, SqlRows.fingerprint(connection, SCHEMA + "." + table)));
                }
                return new Snapshot(rows, SqlRows.value(connection, PARTITIONS), SqlRows.query(connection, POLICIES),
                        SqlRows.query(connection, JOB_ROW));
            }
        }
    }

    private static void assertLogged(List<String> log, String text) {
        assertTrue(log.stream().anyMatch(message -> message != null && message.contains(text)),
                () -> "not in the log: " + text + "\nlog:\n" + String.join("\n", log));
    }
}
