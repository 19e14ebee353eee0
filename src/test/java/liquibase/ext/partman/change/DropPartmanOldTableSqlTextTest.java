package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.support.Targets;

/** The SQL of dropPartmanOldTable and of its refused rollback, as text, the same for every version; and its validation. */
@NoDatabase
class DropPartmanOldTableSqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    private static DropPartmanOldTableChange dailyUsers() {
        return (DropPartmanOldTableChange) ChangeExamples.of("dropPartmanOldTable").change();
    }

    @Test
    void theDropAndTheRefusedRollbackAreReviewedSql() throws Exception {
        String sql = dailyUsers().sql(Targets.PARTMAN_4_7, database);
        GoldenSql.assertMatches("dropPartmanOldTable/drop", sql);
        for (var target : List.of(Targets.PARTMAN_5_1, Targets.PARTMAN_5_4, Targets.PARTMAN_5_5)) {
            assertEquals(sql, dailyUsers().sql(target, database), "no pg_partman call: the same SQL for every version");
        }
        GoldenSql.assertMatches("dropPartmanOldTable/rollback", dailyUsers().rollbackSql(Targets.PARTMAN_5_1, database));
    }

    @Test
    void validationNamesTheAttribute() {
        DropPartmanOldTableChange change = dailyUsers();
        change.setLockTimeout("soon");
        change.setTableName("t".repeat(51));
        assertEquals(List.of(
                "dropPartmanOldTable.lockTimeout: 'soon' is not a lock timeout such as '100ms', '2s' or '1min'",
                "dropPartmanOldTable.tableName: has more than 50 bytes: partitionExistingTable converts no table with so long a "
                        + "name, so there is no <tableName>_partman_old to drop"),
                change.validate(null).getErrorMessages());
        change = dailyUsers();
        change.setTableName(null);
        change.setSchemaName("app; DROP TABLE x");
        assertEquals(List.of(
                "dropPartmanOldTable.tableName: is required",
                "dropPartmanOldTable.schemaName: 'app; DROP TABLE x' is not a plain identifier: use letters, digits, '_' and '$' only "
                        + "(no quotes, dots or spaces; pg_partman does not support them)"),
                change.validate(null).getErrorMessages());
        assertEquals(List.of(), dailyUsers().validate(null).getErrorMessages());
    }
}
