package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ext.partman.support.TestJvm;

/**
 * The JVM running the pack's update is killed (SIGKILL) in the middle of it, on a database where
 * the guide's set-up holds rows: the rerun, after {@code releaseLocks} as a user would, finishes,
 * and every row is there once, each table registered once, the job there once, each changeset
 * recorded once; rolling back afterwards still restores the hand-made policies exactly.
 * <p>
 * So that the kill lands at a known point, the test holds the row lock of one table's pg_partman
 * configuration: the update runs up to that table's policy changeset and waits there, inside that
 * changeset's transaction, with the changesets before it committed.
 */
class PackUpdateKilledTest {

    private static final String SCHEMA = "pack_killed";
    /** The guide's job gets a schedule that does not come round (see GuideSetUp.run). */
    private static final String NEVER = "0 3 29 2 *";
    private static final String BLOCKED_TABLE = SCHEMA + ".statistics_monthly_users";
    private static final List<String> BEFORE_THE_BLOCKED_CHANGESET = List.of("extension-pg_cron", "extension-pg_partman",
            "statistics_daily_users-table", "statistics_monthly_users-table", "statistics_yearly_users-table",
            "statistics_daily_users-policy");
    private static final String POLICIES = "SELECT to_jsonb(c) FROM partman.part_config c WHERE parent_table LIKE '"
            + SCHEMA + ".%' ORDER BY parent_table";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void aRerunAfterTheKillFinishesWithEveryRowOnce() throws Exception {
        List<String> handMadePolicies;
        List<String> rows;
        try (Connection connection = TestDatabase.connect()) {
            GuideSetUp.run(connection, SCHEMA, NEVER);
            GuideSetUp.insertRows(connection, SCHEMA);
            handMadePolicies = SqlRows.strings(connection, POLICIES);
            rows = fingerprints(connection);
        }

        try (Connection blocker = TestDatabase.connect()) {
            blocker.setAutoCommit(false);
            SqlRows.execute(blocker, "SELECT 1 FROM partman.part_config WHERE parent_table = '" + BLOCKED_TABLE + "' FOR UPDATE");
            Process update = PackUpdateProcess.start("pack-update-killed", SCHEMA);
            TestJvm.await("it reached " + BLOCKED_TABLE + " (see " + ExternalProcess.log("pack-update-killed") + ")",
                    List.of(update), () -> TestJvm.waitsFor(blocker));
            update.destroyForcibly();
            assertTrue(update.waitFor(1, TimeUnit.MINUTES));
            blocker.rollback();
        }

        try (Connection connection = TestDatabase.connect()) {
            assertEquals(BEFORE_THE_BLOCKED_CHANGESET, SqlRows.strings(connection, "SELECT id FROM " + SCHEMA
                    + ".databasechangelog ORDER BY orderexecuted"), "killed in the middle of the update");
            assertEquals(Boolean.TRUE, SqlRows.value(connection, "SELECT locked FROM " + SCHEMA + ".databasechangeloglock"),
                    "the killed JVM never released Liquibase's lock");
        }

        LiquibaseRun rerun = new PackChangeLog(SCHEMA).run();
        rerun.releaseLocks();
        rerun.update();

        try (Connection connection = TestDatabase.connect()) {
            assertEquals(rows, fingerprints(connection), "no row lost or duplicated");
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE '"
                    + SCHEMA + ".%' AND infinite_time_partitions"));
            assertEquals(1, SqlRows.count(connection, "SELECT count(*) FROM cron.job WHERE jobname = '"
                    + PackChangeLog.jobName(SCHEMA) + "'"));
            assertEquals(Map.of("changesets", (long) PackChangeLog.CHANGE_SETS, "ids", (long) PackChangeLog.CHANGE_SETS),
                    SqlRows.query(connection, "SELECT count(*) AS changesets, count(DISTINCT id) AS ids FROM "
                            + SCHEMA + ".databasechangelog").get(0));
        }

        rerun.rollbackCount(PackChangeLog.CHANGE_SETS);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(handMadePolicies, SqlRows.strings(connection, POLICIES), "the settings before the pack, exactly");
            assertEquals(rows, fingerprints(connection));
        }
    }

    private static List<String> fingerprints(Connection connection) throws Exception {
        List<String> fingerprints = new ArrayList<>();
        for (String table : PackChangeLog.TABLES) {
            fingerprints.add(table + " " + SqlRows.fingerprint(connection, SCHEMA + "." + table));
        }
        return fingerprints;
    }
}
