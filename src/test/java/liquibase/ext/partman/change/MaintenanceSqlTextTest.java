package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.support.Targets;

/** The SQL of installPartmanMaintenance and schedulePartmanMaintenance as text: the same for every version. */
@NoDatabase
class MaintenanceSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    @Test
    void installPartmanMaintenance() throws Exception {
        InstallPartmanMaintenanceChange change = (InstallPartmanMaintenanceChange) ChangeExamples.of("installPartmanMaintenance").change();
        GoldenSql.assertMatches("installPartmanMaintenance/install", change.sql(Targets.PARTMAN_4_7, database));
        GoldenSql.assertMatches("installPartmanMaintenance/rollback", change.rollbackSql(Targets.PARTMAN_4_7, database));
        assertEquals(change.sql(Targets.PARTMAN_4_7, database), change.sql(Targets.PARTMAN_5_5, database),
                "the procedure tells pg_partman's versions apart as it runs: it outlives the version it was installed with");
    }

    @Test
    void schedulePartmanMaintenance() throws Exception {
        SchedulePartmanMaintenanceChange change =
                (SchedulePartmanMaintenanceChange) ChangeExamples.of("schedulePartmanMaintenance").change();
        GoldenSql.assertMatches("schedulePartmanMaintenance/schedule", change.sql(Targets.PARTMAN_4_7, database));
        GoldenSql.assertMatches("schedulePartmanMaintenance/rollback", change.rollbackSql(Targets.PARTMAN_4_7, database));
        assertEquals(change.sql(Targets.PARTMAN_4_7, database), change.sql(Targets.PARTMAN_5_5, database));
        change.setDatabase("appdb");
        change.setLockTimeout(null);
        change.setRetryFor(null);
        change.setAnalyze(false);
        GoldenSql.assertMatches("schedulePartmanMaintenance/schedule_in_database", change.sql(Targets.PARTMAN_5_5, database));
        assertTrue(change.sql(Targets.PARTMAN_5_5, database).contains("'CALL \"app\".\"partman_maintenance\"(p_analyze => false)'"));
    }
}
