package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.precondition.DefaultPartitionEmptyPrecondition;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * The SQL of repartitionDefault, as text, step by step: one reviewed file per step, and one per
 * version for the steps that differ between pg_partman 4.7 and 5.x.
 */
@NoDatabase
class RepartitionDefaultSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    private static RepartitionDefaultChange dailyUsers(boolean runInTransaction) {
        RepartitionDefaultChange change = new RepartitionDefaultChange();
        change.setTableName("statistics_daily_users");
        change.setBatchSize(50000);
        change.setChangeSet(new ChangeSet("move", "dba", false, false, "changelog.xml", null, null, runInTransaction, null));
        return change;
    }

    private static Map<String, String> steps(PartmanTarget target) {
        return new RepartitionDefaultScript(target, new ParentTable("public", "statistics_daily_users"), 50000, null, null, null).steps();
    }

    @Test
    void eachStepIsReviewedSqlForEachVersionItDiffersOn() throws Exception {
        Map<String, String> on47 = steps(Targets.PARTMAN_4_7);
        Map<String, String> on51 = steps(Targets.PARTMAN_5_1);
        Map<String, String> on54 = steps(Targets.PARTMAN_5_4);
        assertEquals(RepartitionDefaultScript.STEPS, List.copyOf(on47.keySet()));
        for (String step : RepartitionDefaultScript.STEPS) {
            if (on47.get(step).equals(on51.get(step))) {
                GoldenSql.assertMatches("repartitionDefault/" + step, on47.get(step));
            } else {
                GoldenSql.assertMatches("repartitionDefault/" + step + "-4.7", on47.get(step));
                GoldenSql.assertMatches("repartitionDefault/" + step + "-5.1", on51.get(step));
            }
            assertEquals(on51.get(step).replace(Targets.PARTMAN_5_1.childTableLikeOptions(), Targets.PARTMAN_5_4.childTableLikeOptions())
                            .replace(RepartitionDefaultScript.refuseReplicaIdentityIndex(Targets.PARTMAN_5_1, "repartitionDefault", "v_parent", "v_parent_name"), ""),
                    on54.get(step), "5.2.3+ differs only in what partitions copy from the parent and in making partitions of a replica identity index");
        }
        assertTrue(on47.get("partitions").contains("apply_publications"), "4.x adds children to part_config.publications");
        assertTrue(on47.get("start-logging").contains("apply_publications"), "and the new DEFAULT too");
        assertFalse(on51.get("partitions").contains("apply_publications"), "5.x has no part_config.publications");
        assertTrue(on51.get("swap").contains("inherit_replica_identity"), "5.1+ copies the replica identity");
        assertTrue(Targets.PARTMAN_5_4.childTableLikeOptions().contains("INCLUDING COMPRESSION"));
        assertTrue(on51.get("inspect").contains("cannot give to the partitions it makes"), "5.1.0 to 5.2.2 refuse a replica identity index");
    }

    @Test
    void theScriptRunsTheStepsInOrderAndCommitsBetweenThem() {
        String script = dailyUsers(false).sql(Targets.PARTMAN_5_1, database);
        int position = 0;
        for (String step : steps(Targets.PARTMAN_5_1).values()) {
            String firstLine = step.lines().filter(line -> !line.startsWith("--")).findFirst().orElseThrow().trim();
            int found = script.indexOf(firstLine, position);
            assertTrue(found > 0, "the script runs the step starting with: " + firstLine);
            position = found;
        }
        assertTrue(script.startsWith("DO $partman$\nDECLARE\n"), script);
        assertTrue(script.contains("\nCOMMIT;\n"), "a COMMIT first: inside a transaction block the script fails before doing anything");
        RepartitionDefaultChange analyzing = dailyUsers(false);
        analyzing.setAnalyze(true);
        assertTrue(analyzing.sql(Targets.PARTMAN_5_1, database).contains("  FOREACH v_name IN ARRAY v_created LOOP\n"
                + "    EXECUTE format('ANALYZE %I.%I', 'public', v_name);\n"
                + "    -- Tables made, dropped or analyzed one after another are committed a few at a time"), "one table a statement, committed a few at a time");
    }

    @Test
    void badAttributesAreRefusedNamingThem() {
        RepartitionDefaultChange change = dailyUsers(false);
        change.setBatchSize(0);
        change.setLockTimeout("5 parsecs");
        List<String> errors = change.validate(null).getErrorMessages();
        assertTrue(errors.stream().anyMatch(error -> error.startsWith("repartitionDefault.batchSize:")), errors::toString);
        assertTrue(errors.stream().anyMatch(error -> error.startsWith("repartitionDefault.lockTimeout: '5 parsecs'")), errors::toString);
        assertEquals(List.of("repartitionDefault.runInTransaction: the changeSet must say runInTransaction=\"false\": each step of the move "
                + "commits, so that readers and writers never wait for more than a moment"), dailyUsers(true).validate(null).getErrorMessages());

        DefaultPartitionEmptyPrecondition precondition = new DefaultPartitionEmptyPrecondition();
        precondition.setSchemaName("app");
        assertEquals(List.of("defaultPartitionEmpty.schemaName: needs tableName; leave both out to check every table pg_partman manages"),
                precondition.validate(null).getErrorMessages());
        precondition.setTableName("a.b");
        assertTrue(precondition.validate(null).getErrorMessages().get(0).startsWith("defaultPartitionEmpty.tableName:"));
    }

    @Test
    void hasAnEmptyRollback() {
        RepartitionDefaultChange change = dailyUsers(false);
        assertTrue(change.supportsRollback(database));
        assertTrue(change.rollbackSql(Targets.PARTMAN_5_1, database) == null);
    }
}
