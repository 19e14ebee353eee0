package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.support.Targets;

/**
 * The SQL of upgradePartman as text: from 4.7 (staged through 5.0.0 and 5.0.1, with the checks of the
 * 4 -> 5 update) and from 5.x (one stage), the refused rollback, and validation.
 */
@NoDatabase
class UpgradePartmanSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    private static UpgradePartmanChange upgradeTo(String version, boolean runInTransaction) {
        UpgradePartmanChange change = new UpgradePartmanChange();
        change.setVersion(version);
        change.setChangeSet(new ChangeSet("upgrade", "dba", false, false, "changelog.xml", null, null, runInTransaction, null));
        return change;
    }

    @Test
    void theStagedScriptIsReviewedSqlForEachVersionItDiffersOn() throws Exception {
        String from47 = upgradeTo("5.2.4", false).sql(Targets.PARTMAN_4_7, database);
        GoldenSql.assertMatches("upgradePartman/from-4.7", from47);
        int stage500 = from47.indexOf("UPDATE TO %L', '5.0.0'");
        int stage501 = from47.indexOf("UPDATE TO %L', '5.0.1'");
        int stage524 = from47.indexOf("UPDATE TO %L', '5.2.4'");
        assertTrue(0 < stage500 && stage500 < stage501 && stage501 < stage524, "5.0.0, then 5.0.1, then 5.2.4");
        assertTrue(from47.indexOf("COMMIT;") > stage500 && from47.indexOf("CREATE TABLE") < stage500
                && from47.indexOf("COMMIT;", stage500) < stage501 && from47.indexOf("COMMIT;", stage501) < stage524,
                "each stage commits on its own, the backup with the first");
        assertTrue(from47.contains("partition_type = 'partman'") && from47.contains("'IYYY\"w\"IW', 'YYYY\"q\"Q'"),
                "from 4.x: trigger-based, ISO-weekly and quarterly sets are named before anything changes");

        String from51 = upgradeTo("5.5.0", false).sql(Targets.PARTMAN_5_1, database);
        GoldenSql.assertMatches("upgradePartman/from-5.1", from51);
        assertTrue(!from51.contains("'5.0.1'") && !from51.contains("partition_type = 'partman'"), "5.x to 5.y: one stage, no 4.x checks");

        GoldenSql.assertMatches("upgradePartman/rollback", upgradeTo("5.2.4", false).rollbackSql(Targets.PARTMAN_5_1, database));
    }

    @Test
    void validationNamesTheAttribute() {
        assertEquals(List.of("upgradePartman.runInTransaction: the changeSet must say runInTransaction=\"false\": each stage of the "
                + "update commits on its own, as pg_partman's upgrade guide asks"), upgradeTo("5.2.4", true).validate(null).getErrorMessages());
        assertEquals(List.of("upgradePartman.version: is required"), upgradeTo(null, false).validate(null).getErrorMessages());
        assertEquals(List.of("upgradePartman.version: '5.2' is not a pg_partman version such as '5.2.4'"),
                upgradeTo("5.2", false).validate(null).getErrorMessages());
        assertEquals("pg_partman is at 5.5.0, newer than version 5.2.4: pg_partman has no downgrade",
                upgradeTo("5.2.4", false).targetProblem(Targets.PARTMAN_5_5));
    }
}
