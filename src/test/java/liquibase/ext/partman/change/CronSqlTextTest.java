package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.support.NoDatabase;

/** The SQL of scheduleCron, unscheduleCron and runPartmanMaintenance as text, and where pg_cron versions differ. */
@NoDatabase
class CronSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    static ScheduleCronChange hourlyMaintenance() {
        return (ScheduleCronChange) ChangeExamples.of("scheduleCron").change();
    }

    @Test
    void scheduleCron() throws Exception {
        ScheduleCronChange change = hourlyMaintenance();
        GoldenSql.assertMatches("scheduleCron/schedule", change.sql(Targets.PARTMAN_4_7, database));
        GoldenSql.assertMatches("scheduleCron/rollback", change.rollbackSql(Targets.PARTMAN_4_7, database));
        assertEquals(change.sql(Targets.PARTMAN_4_7, database), change.sql(Targets.PARTMAN_5_1, database),
                "pg_cron 1.4 and 1.6 get the same SQL: the differences in pg_cron's upsert are settled at run time");
    }

    @Test
    void scheduleCronInAnotherDatabase() throws Exception {
        ScheduleCronChange change = hourlyMaintenance();
        change.setDatabase("idpserver");
        change.setActive(true);
        GoldenSql.assertMatches("scheduleCron/schedule_in_database", change.sql(Targets.PARTMAN_4_7, database));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "30 seconds | needs pg_cron 1.5",
        "0 3 $ * *  | needs pg_cron 1.6.1"})
    void scheduleFormsNewerThanPgCron14AreRefusedThere(String schedule, String expected) {
        ScheduleCronChange change = hourlyMaintenance();
        change.setSchedule(schedule.trim());
        String problem = change.targetProblem(Targets.PARTMAN_4_7);
        assertTrue(problem.contains(expected.trim()) && problem.contains("the target is pg_cron 1.4.2"), problem);
        assertNull(change.targetProblem(Targets.PARTMAN_5_1), "pg_cron 1.6 accepts it");
    }

    @Test
    void offlineSqlFollowsTheCronVersionProperty(@TempDir Path folder) throws Exception {
        String job = """
                  <changeSet id="job" author="test">
                    <partman:scheduleCron jobName="fast" schedule="30 seconds" command="SELECT 1"/>
                  </changeSet>
                """;
        // Offline, Liquibase keeps its history in a CSV file: one per run, so that each run starts afresh.
        String sql = LiquibaseRun.of("changelog.xml", xmlChangeLog(job),
                LiquibaseRun.OFFLINE + "&changeLogFile=" + folder.resolve("newest.csv"), null).updateSql();
        assertTrue(sql.contains("pg_cron 1.6.0") && sql.contains("PERFORM cron.schedule('fast', '30 seconds', 'SELECT 1');"), sql);

        Exception refused = assertThrows(Exception.class, () -> LiquibaseRun.of("changelog.xml", xmlChangeLog(
                "<property name=\"partman.cronVersion\" value=\"1.4.2\"/>\n" + job),
                LiquibaseRun.OFFLINE + "&changeLogFile=" + folder.resolve("1.4.csv"), null).updateSql());
        assertTrue(Failures.messages(refused).contains("schedule '30 seconds' needs pg_cron 1.5 or later; "
                + "the target is pg_cron 1.4.2"), Failures.messages(refused));
    }

    @Test
    void unscheduleCron() throws Exception {
        UnscheduleCronChange change = (UnscheduleCronChange) ChangeExamples.of("unscheduleCron").change();
        GoldenSql.assertMatches("unscheduleCron/unschedule", change.sql(Targets.PARTMAN_5_1, database));
        GoldenSql.assertMatches("unscheduleCron/rollback", change.rollbackSql(Targets.PARTMAN_5_1, database));
        change.setIfExists(false);
        assertTrue(change.sql(Targets.PARTMAN_5_1, database).contains("RAISE EXCEPTION 'pg_cron job % of role % does not exist'"));
    }

    @Test
    void runPartmanMaintenanceInATransaction() throws Exception {
        RunPartmanMaintenanceChange change = (RunPartmanMaintenanceChange) ChangeExamples.of("runPartmanMaintenance").change();
        GoldenSql.assertMatches("runPartmanMaintenance/table", change.sql(Targets.PARTMAN_4_7, database));
        assertEquals(change.sql(Targets.PARTMAN_4_7, database), change.sql(Targets.PARTMAN_5_1, database),
                "run_maintenance has the same arguments on pg_partman 4.7 and 5.x");
        assertNull(change.rollbackSql(Targets.PARTMAN_4_7, database));
        assertTrue(change.supportsRollback(database), "an empty rollback, declared");
    }

    @Test
    void runPartmanMaintenanceOutsideATransaction() throws Exception {
        RunPartmanMaintenanceChange change = new RunPartmanMaintenanceChange();
        ChangeSet changeSet = new ChangeSet("maintenance", "test", false, false, "changelog.xml", null, null, false, null, null);
        changeSet.addChange(change);
        GoldenSql.assertMatches("runPartmanMaintenance/procedure", change.sql(Targets.PARTMAN_5_1, database));

        ChangeSet transactional = new ChangeSet("maintenance", "test", false, false, "changelog.xml", null, null, true, null, null);
        RunPartmanMaintenanceChange inTransaction = new RunPartmanMaintenanceChange();
        transactional.addChange(inTransaction);
        assertTrue(inTransaction.sql(Targets.PARTMAN_5_1, database).contains("PERFORM \"partman\".\"run_maintenance\"();"));
    }
}
