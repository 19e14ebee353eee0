package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.NoDatabase;

/** What scheduleCron, unscheduleCron and runPartmanMaintenance refuse before any SQL runs. */
@NoDatabase
class CronValidationTest {

    private final PostgresDatabase database = new PostgresDatabase();

    @ParameterizedTest
    @ValueSource(strings = {"0 * * * *", "0 2 * * *", "*/5 9-17 * jan-mar mon-fri", "5-10/2,30 */2 1,15 * *",
            "0 0 * * 7", "0 0 1 DEC SUN", "  0 3 * * *  ", "0\t3 * * *", "@hourly", "@daily", "@reboot",
            "30 seconds", "1 second", "59 Seconds", "0 3 $ * *"})
    void acceptsWhatPgCronAccepts(String schedule) {
        assertNull(CronSchedule.problem(schedule), schedule);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0 24 * * *          | hour '24' is outside 0-23",
        "60 * * * *          | minute '60' is outside 0-59",
        "0 0 0 * *           | day of month '0' is outside 1-31",
        "0 0 * 13 *          | month '13' is outside 1-12 or a name (jan, feb, ...)",
        "0 0 * * 8           | day of week '8' is outside 0-7",
        "0 0 * * mon-xyz     | day of week 'xyz' is outside",
        "1/20 * * * *        | minute '1/20' steps from a single value",
        "*/0 * * * *         | minute '*/0' has a step of 0",
        "30-10 * * * *       | minute range '30-10' runs backwards",
        "0 * * *             | has 4 fields",
        "0 * * * * junk      | has 6 fields",
        "@every_hour         | is not one of pg_cron's macros",
        "60 seconds          | runs every 60 seconds; pg_cron accepts 1 to 59",
        "0 seconds           | runs every 0 seconds",
        "0 3 $,1 * *         | day of month '$' is not '*', a value",
        "'; DROP TABLE x; -- | minute '';' is not '*', a value"})
    void refusesWithTheFieldAtFault(String schedule, String expected) {
        String problem = CronSchedule.problem(schedule);
        assertTrue(problem != null && problem.contains(expected.trim()), schedule + " -> " + problem);
    }

    @Test
    void scheduleCronNamesEachBadAttribute() {
        ScheduleCronChange change = new ScheduleCronChange();
        assertEquals(List.of("scheduleCron.jobName: is required", "scheduleCron.schedule: is required",
                "scheduleCron.command: is required"), change.validate(database).getErrorMessages());

        change.setJobName("x".repeat(64));
        change.setSchedule("0 25 * * *");
        change.setCommand("SELECT 1");
        change.setDatabase("app\ndb");
        List<String> errors = change.validate(database).getErrorMessages();
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("scheduleCron.jobName: ") && errors.get(0).contains("63 bytes"), errors.get(0));
        assertTrue(errors.get(1).startsWith("scheduleCron.schedule: '0 25 * * *' hour '25'"), errors.get(1));
        assertTrue(errors.get(2).startsWith("scheduleCron.database: 'app\\u000adb' is not a name"), errors.get(2));
    }

    @Test
    void unscheduleCronNeedsAJobName() {
        assertEquals(List.of("unscheduleCron.jobName: is required"),
                new UnscheduleCronChange().validate(database).getErrorMessages());
    }

    @Test
    void runPartmanMaintenanceTakesSchemaOnlyWithTable() {
        RunPartmanMaintenanceChange change = new RunPartmanMaintenanceChange();
        assertTrue(change.validate(database).getErrorMessages().isEmpty(), "no table: every table");
        change.setSchemaName("app");
        assertEquals(List.of("runPartmanMaintenance.schemaName: needs tableName; leave both out to maintain every table "
                + "with automatic maintenance on"), change.validate(database).getErrorMessages());
        change.setTableName("events\"; DROP");
        assertTrue(change.validate(database).getErrorMessages().get(0).startsWith("runPartmanMaintenance.tableName: "));
    }
}
