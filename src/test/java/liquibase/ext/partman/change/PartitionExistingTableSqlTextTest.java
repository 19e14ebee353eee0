package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * The SQL of partitionExistingTable, as text, step by step: one reviewed file per step, and one per
 * version for the steps that differ (the registration: create_parent's name and p_type); and its
 * validation.
 */
@NoDatabase
class PartitionExistingTableSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    private static PartitionExistingTableChange dailyUsers(boolean runInTransaction) {
        PartitionExistingTableChange change = new PartitionExistingTableChange();
        change.setTableName("statistics_daily_users");
        change.setControlColumn("stat_date");
        change.setInterval("1 month");
        change.setPremake(3);
        change.setStartPartition("2024-01-01");
        change.setBatchSize(50000);
        change.setChangeSet(new ChangeSet("convert", "dba", false, false, "changelog.xml", null, null, runInTransaction, null));
        return change;
    }

    private Map<String, String> steps(PartmanTarget target) {
        return dailyUsers(false).steps(target, database);
    }

    @Test
    void eachStepAndTheRollbackAreReviewedSqlForEachVersionTheyDifferOn() throws Exception {
        Map<String, String> on47 = steps(Targets.PARTMAN_4_7);
        Map<String, String> on51 = steps(Targets.PARTMAN_5_1);
        Map<String, String> on54 = steps(Targets.PARTMAN_5_4);
        assertEquals(PartitionExistingTableChange.STEPS, List.copyOf(on47.keySet()));
        for (String step : PartitionExistingTableChange.STEPS) {
            boolean sameOn47And54 = on47.get(step).equals(on54.get(step));
            GoldenSql.assertMatches("partitionExistingTable/" + step + (sameOn47And54 ? "" : "-4.7"), on47.get(step));
            if (!on51.get(step).equals(on47.get(step))) {
                GoldenSql.assertMatches("partitionExistingTable/" + step + "-5.1", on51.get(step));
            }
            if (!sameOn47And54) {
                GoldenSql.assertMatches("partitionExistingTable/" + step + "-5.4", on54.get(step));
            }
        }
        assertTrue(on47.get("create").contains("\"partman\".\"create_parent\"(p_parent_table := 'public.statistics_daily_users_partman_new', "
                + "p_control := 'stat_date', p_type := 'native'"), on47.get("create"));
        assertTrue(on54.get("create").contains("\"partman\".\"create_partition\"(p_parent_table := "), on54.get("create"));
        GoldenSql.assertMatches("partitionExistingTable/rollback", dailyUsers(false).rollbackSql(Targets.PARTMAN_5_1, database));
    }

    @Test
    void theScriptRunsTheStepsInOrder() {
        String script = dailyUsers(false).sql(Targets.PARTMAN_5_1, database);
        int position = 0;
        for (String step : steps(Targets.PARTMAN_5_1).values()) {
            String firstLine = step.lines().filter(line -> !line.startsWith("--")).findFirst().orElseThrow().trim();
            int found = script.indexOf(firstLine, position);
            assertTrue(found > 0, "the script runs the step starting with: " + firstLine);
            position = found;
        }
        assertTrue(script.startsWith("DO $partman$\nDECLARE\n"), script);
    }

    @Test
    void validationNamesTheAttribute() {
        PartitionExistingTableChange change = dailyUsers(true);
        change.setBatchSize(0);
        change.setLockTimeout("soon");
        change.setType("list");
        change.setTableName("t".repeat(51));
        ValidationErrors errors = change.validate(null);
        assertEquals(List.of(
                "partitionExistingTable.type: 'list' is not supported: partitionExistingTable makes range partitions",
                "partitionExistingTable.batchSize: must be 1 or more, not 0",
                "partitionExistingTable.lockTimeout: 'soon' is not a lock timeout such as '100ms', '2s' or '1min'",
                "partitionExistingTable.tableName: has more than 50 bytes: the conversion names its tables <tableName>_partman_new "
                        + "and <tableName>_partman_old, which must fit PostgreSQL's 63. Rename the table first.",
                "partitionExistingTable.runInTransaction: the changeSet must say runInTransaction=\"false\": each step of the "
                        + "conversion commits, so that readers and writers never wait for more than a moment"),
                errors.getErrorMessages());
    }
}
