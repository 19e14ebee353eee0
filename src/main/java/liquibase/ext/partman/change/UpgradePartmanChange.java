package liquibase.ext.partman.change;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.ExtensionVersion;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.ext.partman.version.PartmanTargetResolver;
import liquibase.statement.SqlStatement;

/**
 * Updates pg_partman to a newer version the way its upgrade guide asks: checks first (the update
 * scripts are installed, no trigger-based sets, no ISO-weekly or quarterly sets, nothing depending on
 * the tables the 5.0 update recreates, a role that may update the extension), then backs up
 * part_config and part_config_sub into tables it names, updates in stages each in a transaction of
 * its own, and checks every set afterwards. pg_partman has no downgrade, so the rollback is refused,
 * naming the backup tables.
 */
@DatabaseChange(name = "upgradePartman", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Updates pg_partman in stages (ALTER EXTENSION pg_partman UPDATE), after checks and a backup of its configuration")
public class UpgradePartmanChange extends AbstractPartmanChange {

    private static final Pattern VERSION = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private String version;

    @Override
    protected void validateAttributes(AttributeRules rules) {
        if (rules.required("version", version) && !VERSION.matcher(version.trim()).matches()) {
            rules.error("version", AttributeRules.describe(version) + " is not a pg_partman version such as '5.2.4'");
        }
        if (getChangeSet() != null && getChangeSet().isRunInTransaction()) {
            rules.error("runInTransaction", "the changeSet must say runInTransaction=\"false\": each stage of the update "
                    + "commits on its own, as pg_partman's upgrade guide asks");
        }
    }

    @Override
    protected String targetProblem(PartmanTarget target) {
        if (wanted().compareTo(target.partman()) < 0) {
            return "pg_partman is at " + target.partman() + ", newer than version " + wanted() + ": pg_partman has no downgrade";
        }
        return null;
    }

    /**
     * The update changes pg_partman's version, so what this connection said about it is forgotten
     * once the SQL is written: it runs right after, and the next change asks again.
     */
    @Override
    public SqlStatement[] generateStatements(Database database) {
        SqlStatement[] statements = super.generateStatements(database);
        PartmanTargetResolver.forget(database);
        return statements;
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        List<ExtensionVersion> stages = target.upgradeStages(wanted());
        String partConfig = target.partmanObject("part_config");
        String partConfigSub = target.partmanObject("part_config_sub");
        String recreatedTablesChecks = !target.upgradeRecreatesConfigTables(wanted()) ? ""
                : SqlTemplate.of("upgradePartman/recreated-tables-checks").sql("PART_CONFIG", partConfig)
                        .sql("PART_CONFIG_SUB", partConfigSub).sql("DEPENDENTS", SqlTemplate.of("upgradePartman/dependents").render())
                        .renderLines();
        return SqlText.doBlock(SqlTemplate.of("upgradePartman/upgrade")
                .literal("TO", wanted().toString())
                .raiseText("TO_TEXT", wanted().toString())
                .literal("FROM", target.partman().toString())
                .raiseText("FROM_TEXT", target.partman().toString())
                .sql("STAGES", SqlText.textArray(stages.stream().map(ExtensionVersion::toString).toList()))
                .sql("RECREATED_TABLES_CHECKS", recreatedTablesChecks)
                .sql("BACKUP", backup(database, "part_config"))
                .literal("BACKUP_TEXT", backup(database, "part_config"))
                .sql("BACKUP_SUB", backup(database, "part_config_sub"))
                .literal("BACKUP_SUB_TEXT", backup(database, "part_config_sub"))
                .sql("PART_CONFIG", partConfig)
                .literal("PART_CONFIG_TEXT", partConfig)
                .sql("PART_CONFIG_SUB", partConfigSub)
                .sql("STAGES_SQL", stages.stream()
                        .map(stage -> SqlTemplate.of("upgradePartman/stage").literal("VERSION", stage.toString()).renderLines())
                        .collect(Collectors.joining()))
                .sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, false))
                .sql("MISNAMED_SETS", SqlTemplate.of("upgradePartman/misnamed-sets").sql("PART_CONFIG", partConfig)
                        .sql("CHECK_NAME_LENGTH", target.partmanObject("check_name_length")).render())
                .sql("RUN_MAINTENANCE", target.partmanObject("run_maintenance"))
                .render());
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return SqlText.doBlock(SqlTemplate.of("upgradePartman/rollback")
                .raiseText("TO_TEXT", wanted().toString())
                .literal("BACKUP_TEXT", backup(database, "part_config"))
                .literal("BACKUP_SUB_TEXT", backup(database, "part_config_sub"))
                .render());
    }

    /** Where pg_partman's table goes before the update, in the changelog's default schema: e.g. part_config_before_5_2_4. */
    private String backup(Database database, String table) {
        return SqlText.qualified(ParentTable.defaultSchema(database), table + "_before_" + wanted().toString().replace('.', '_'));
    }

    private ExtensionVersion wanted() {
        return ExtensionVersion.parse(version.trim());
    }

    @Override
    public String getConfirmationMessage() {
        return "pg_partman updated to " + version;
    }

    @DatabaseChangeProperty(description = "The pg_partman version to update to, e.g. 5.2.4; its update scripts must be installed",
            requiredForDatabase = "all", exampleValue = "5.2.4")
    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }
}
