package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.precondition.DefaultPartitionEmptyPrecondition;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.support.NoDatabase;

/** The SQL of repartitionDefault, as text, for pg_partman 4.7 and 5.x, with and without COMMIT between batches. */
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

    @Test
    void commitsBetweenBatchesOutsideATransaction() throws Exception {
        RepartitionDefaultChange change = dailyUsers(false);
        String on47 = change.sql(Targets.PARTMAN_4_7, database);
        String on51 = change.sql(Targets.PARTMAN_5_1, database);
        assertTrue(on47.contains("COMMIT;"), on47);
        assertTrue(on47.contains("apply_publications"), "4.x adds children to part_config.publications");
        assertFalse(on51.contains("apply_publications"), "5.x has no part_config.publications");
        assertTrue(on51.contains("inherit_replica_identity"), "5.1+ copies the replica identity");
        GoldenSql.assertMatches("repartitionDefault/4.7", on47);
        GoldenSql.assertMatches("repartitionDefault/5.1", on51);
        assertEquals(on51.replace(Targets.PARTMAN_5_1.childTableLikeOptions(), Targets.PARTMAN_5_4.childTableLikeOptions()),
                change.sql(Targets.PARTMAN_5_4, database), "5.2+ differs only in what partitions copy from the parent");
        assertTrue(Targets.PARTMAN_5_4.childTableLikeOptions().contains("INCLUDING COMPRESSION"));
    }

    @Test
    void oneTransactionInsideATransaction() {
        String outside = dailyUsers(false).sql(Targets.PARTMAN_5_1, database);
        String inside = dailyUsers(true).sql(Targets.PARTMAN_5_1, database);
        assertEquals(outside.replaceAll("(?m)^ *COMMIT;\n( *PERFORM set_config\\(.*\n){2}", ""), inside,
                "the same steps, without COMMIT");
        RepartitionDefaultChange analyzing = dailyUsers(true);
        analyzing.setAnalyze(true);
        assertTrue(analyzing.sql(Targets.PARTMAN_5_1, database).contains(
                "EXECUTE 'ANALYZE ' || (SELECT string_agg(format('%I.%I', 'public', n), ', ') FROM unnest(v_created) n) || ', ' || v_default_name;"));
    }

    @Test
    void badAttributesAreRefusedNamingThem() {
        RepartitionDefaultChange change = dailyUsers(false);
        change.setBatchSize(0);
        change.setLockTimeout("5 parsecs");
        List<String> errors = change.validate(null).getErrorMessages();
        assertTrue(errors.stream().anyMatch(error -> error.startsWith("repartitionDefault.batchSize:")), errors::toString);
        assertTrue(errors.stream().anyMatch(error -> error.startsWith("repartitionDefault.lockTimeout: '5 parsecs'")), errors::toString);

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
