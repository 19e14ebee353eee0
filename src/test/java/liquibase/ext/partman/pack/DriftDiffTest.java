package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.DiffCommands;
import liquibase.ext.partman.support.DiffCommands.Side;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * Drift fixed by hand in one environment: retention, premake and the job's schedule changed with
 * SQL. The reference is the environment as it was, saved with the snapshot command: pg_cron keeps
 * its jobs in the one cron database of a server, so a second environment with jobs of its own
 * needs a second server, and a saved snapshot is how one server is compared with its own past.
 */
class DriftDiffTest {

    private static final String SCHEMA = "drift_live";
    private static final String JOB = PackChangeLog.jobName(SCHEMA);
    private static final String SCHEDULE = "0 3 29 2 *";
    private static final String DRIFTED_SCHEDULE = "0 4 29 2 *";
    private static final String DAILY = SCHEMA + ".statistics_daily_users";
    private static final String STATE = "SELECT (SELECT retention FROM partman.part_config WHERE parent_table = '" + DAILY + "') AS retention, "
            + "(SELECT premake FROM partman.part_config WHERE parent_table = '" + DAILY + "') AS premake, "
            + "(SELECT schedule FROM cron.job WHERE jobname = '" + JOB + "') AS schedule";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void diffNamesTheDriftAndDiffChangeLogUndoesIt() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            GuideSetUp.run(connection, SCHEMA, SCHEDULE);
        }
        DiffCommands commands = new DiffCommands("PgCronJob:(?!" + JOB + "$).*");
        Side live = new Side(TestDatabase.url(), SCHEMA);
        commands.snapshot(live, "baseline.json");
        Side baseline = Side.offline("baseline.json", SCHEMA);
        assertEquals(List.of(), commands.differences(commands.diff(baseline, live)), "no drift yet");

        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "UPDATE partman.part_config SET retention = '12 months', premake = 5 WHERE parent_table = '" + DAILY + "'",
                    "SELECT cron.alter_job(jobid, schedule := '" + DRIFTED_SCHEDULE + "') FROM cron.job WHERE jobname = '" + JOB + "'");
        }
        Map<String, Object> drifted = state();

        assertEquals(List.of(
                "changed PartmanPolicy " + DAILY + ": premake 3 -> 5",
                "changed PartmanPolicy " + DAILY + ": retention 6 months -> 12 months",
                "changed PgCronJob " + JOB + ": schedule " + SCHEDULE + " -> " + DRIFTED_SCHEDULE),
                commands.differences(commands.diff(baseline, live)).stream().sorted().toList());
        String report = commands.diffReport(baseline, live);
        assertTrue(report.contains("retention changed from '6 months' to '12 months'"), report);

        String fix = commands.diffChangeLog(baseline, live, "fix-drift.xml");
        assertTrue(fix.contains("<partman:setRetention retention=\"6 months\" tableName=\"statistics_daily_users\"/>"), fix);
        assertTrue(fix.contains("<partman:setPartmanConfig premake=\"3\" tableName=\"statistics_daily_users\"/>"), fix);
        assertTrue(fix.contains("schedule=\"" + SCHEDULE + "\""), fix);
        LiquibaseRun run = LiquibaseRun.of("fix-drift.xml", fix, TestDatabase.url(), SCHEMA);
        run.update();
        assertEquals(List.of(), commands.differences(commands.diff(baseline, live)), "drift fixed");

        run.rollbackCount(3);
        assertEquals(drifted, state(), "rollback puts the drifted values back exactly");
    }

    private static Map<String, Object> state() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            return SqlRows.query(connection, STATE).get(0);
        }
    }
}
