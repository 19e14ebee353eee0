package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.database.core.PostgresDatabase;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.GoldenSql;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.support.NoDatabase;
import liquibase.ext.partman.version.PartmanSetting;

/** The SQL each policy change writes for its example (ChangeExamples), as text, for pg_partman 4.7 and 5.x. */
@NoDatabase
class PolicySqlTextTest {

    private final PostgresDatabase database = new PostgresDatabase();

    static CreatePartmanParentChange dailyUsers() {
        return (CreatePartmanParentChange) ChangeExamples.of("createPartmanParent").change();
    }

    @Test
    void createPartmanParent() throws Exception {
        CreatePartmanParentChange change = dailyUsers();
        String on47 = change.sql(Targets.PARTMAN_4_7, database);
        String on51 = change.sql(Targets.PARTMAN_5_1, database);
        assertTrue(on47.contains("p_type := 'native'"));
        assertTrue(on51.contains("p_type := 'range'"));
        assertTrue(change.sql(Targets.PARTMAN_5_4, database).contains("\"partman\".\"create_partition\"("));
        GoldenSql.assertMatches("createPartmanParent/4.7", on47);
        GoldenSql.assertMatches("createPartmanParent/5.1", on51);
        GoldenSql.assertMatches("createPartmanParent/rollback", change.rollbackSql(Targets.PARTMAN_5_1, database));
        GoldenSql.assertMatches("createPartmanParent/rollback-5.4", change.rollbackSql(Targets.PARTMAN_5_4, database));
        change.setTemplateTable("statistics_template");
        assertTrue(change.rollbackSql(Targets.PARTMAN_5_4, database).contains("p_template_table := false"),
                "a template the changelog named stays");
    }

    /** Every row of the settings table reaches the SQL of each change that gives it: its column, or its create_parent argument. */
    @Test
    void everySettingReachesTheSql() {
        for (PartmanSetting setting : PartmanSetting.values()) {
            Object value = switch (setting.kind()) {
                case INTEGER -> 3;
                case BOOLEAN, ON_OFF -> true;
                case RETENTION -> "1 month";
                case PARTITION_TYPE -> "range";
                default -> "a";
            };
            Map<String, Object> given = Map.of(setting.attribute(), value);
            String owner = setting.owner().changeName();
            String sql = ((AbstractPartmanChange) ChangeExamples.of(owner).change(given)).sql(Targets.PARTMAN_5_5, database);
            if (setting.owner() != PartmanSetting.Owner.CREATE_PARTMAN_PARENT) {
                assertTrue(sql.contains("\"" + setting.column() + "\" = " + setting.sql(value)), owner + " sets " + setting.column());
            }
            if (setting.createParentArgument() != null) {
                String registration = ((AbstractPartmanChange) ChangeExamples.of("createPartmanParent").change(given))
                        .sql(Targets.PARTMAN_5_5, database);
                assertTrue(registration.contains(setting.createParentArgument() + " := "), "createPartmanParent gives "
                        + setting.createParentArgument());
            }
        }
    }

    /** A setting newer than the target's pg_partman is refused, naming the version that has it. */
    @Test
    void aSettingNewerThanTheTargetIsRefused() {
        assertEquals("detachBeforeDrop needs pg_partman 5.5 or later; the target is pg_partman 5.4.0",
                Targets.PARTMAN_5_4.settingProblem(PartmanSetting.DETACH_BEFORE_DROP));
        assertNull(Targets.PARTMAN_5_5.settingProblem(PartmanSetting.DETACH_BEFORE_DROP));
        assertNull(Targets.PARTMAN_4_7.settingProblem(PartmanSetting.PREMAKE));
    }

    @Test
    void createPartmanParentDefaultTableOnlyOn5() {
        CreatePartmanParentChange change = dailyUsers();
        change.setDefaultTable(true);
        assertFalse(change.sql(Targets.PARTMAN_4_7, database).contains("p_default_table"));
        assertTrue(change.sql(Targets.PARTMAN_5_1, database).contains("p_default_table := true"));
        change.setDefaultTable(false);
        assertTrue(change.targetProblem(Targets.PARTMAN_4_7).contains("defaultTable"));
    }

    @Test
    void setRetention() throws Exception {
        SetRetentionChange change = (SetRetentionChange) ChangeExamples.of("setRetention").change();
        GoldenSql.assertMatches("setRetention/update", change.sql(Targets.PARTMAN_4_7, database));
        GoldenSql.assertMatches("setRetention/rollback", change.rollbackSql(Targets.PARTMAN_4_7, database));
        assertTrue(change.sql(Targets.PARTMAN_4_7, database).endsWith(change.sql(Targets.PARTMAN_5_1, database)
                .substring(change.sql(Targets.PARTMAN_5_1, database).indexOf('\n'))), "same SQL on both majors");
        change.setRetentionSchema("archive");
        assertFalse(change.sql(Targets.PARTMAN_5_4, database).contains("setRetention.retentionSchema: schema"));
        GoldenSql.assertMatches("setRetention/retention-schema-5.5", change.sql(Targets.PARTMAN_5_5, database));
    }

    @Test
    void setPartmanConfig() throws Exception {
        SetPartmanConfigChange change = (SetPartmanConfigChange) ChangeExamples.of("setPartmanConfig").change();
        GoldenSql.assertMatches("setPartmanConfig/update", change.sql(Targets.PARTMAN_5_1, database));
        GoldenSql.assertMatches("setPartmanConfig/rollback", change.rollbackSql(Targets.PARTMAN_5_1, database));
    }
}
