package liquibase.ext.partman.change;

import java.util.ArrayList;
import java.util.List;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Runs pg_partman's maintenance now, for one table or for every table with automatic
 * maintenance on. run_maintenance_proc commits after each table, which PostgreSQL refuses inside
 * a transaction block ("invalid transaction termination"), so it is used only when the changeset
 * says runInTransaction="false"; otherwise the function run_maintenance does the same work in the
 * changeset's transaction. Maintenance only adds and drops partitions as the policy says, so its
 * rollback is empty: there is nothing to undo.
 */
@DatabaseChange(name = "runPartmanMaintenance", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Runs pg_partman maintenance now (run_maintenance, or run_maintenance_proc outside a transaction)")
public class RunPartmanMaintenanceChange extends AbstractTableChange {

    private Boolean analyze;

    /** Without tableName: every table with automatic maintenance on. */
    public RunPartmanMaintenanceChange() {
        super(false);
    }

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        if (getSchemaName() != null && getTableName() == null) {
            rules.error("schemaName", "needs tableName; leave both out to maintain every table with automatic maintenance on");
        }
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        boolean procedure = usesProcedure();
        // A procedure's COMMIT ends any transaction-local setting, so it gets a session-wide one.
        boolean local = !procedure;
        List<String> arguments = new ArrayList<>();
        if (getTableName() != null) {
            arguments.add("p_parent_table := " + parentTable(database).partmanName());
        }
        if (analyze != null) {
            arguments.add("p_analyze := " + SqlText.bool(analyze));
        }
        return SqlText.doBlock(SqlTemplate.of("runPartmanMaintenance/run")
                .sql("REQUIRE_PARTMAN", PartmanScripts.requirePartmanInstalled(target))
                .sql("REQUIRE_REGISTERED", getTableName() == null ? "" : parentTable(database).requireRegistered(target.partmanObject("part_config")))
                .sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, local))
                .sql("INVOKE", procedure ? "CALL" : "PERFORM")
                .sql("MAINTENANCE", target.partmanObject(procedure ? "run_maintenance_proc" : "run_maintenance"))
                .arguments("ARGUMENTS", arguments)
                .bool("LOCAL", local)
                .render());
    }

    /** run_maintenance_proc has no table argument and must not run inside a transaction. */
    private boolean usesProcedure() {
        return getTableName() == null && getChangeSet() != null && !getChangeSet().isRunInTransaction();
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return null;
    }

    @Override
    public String getConfirmationMessage() {
        return "pg_partman maintenance run for " + (getTableName() == null ? "every table with automatic maintenance on" : getTableName());
    }

    @Override
    @DatabaseChangeProperty(description = "Partitioned parent table to maintain; leave out to maintain every table with "
            + "automatic maintenance on", requiredForDatabase = "none")
    public String getTableName() {
        return super.getTableName();
    }

    @DatabaseChangeProperty(description = "Whether maintenance runs ANALYZE on a parent after creating partitions for it",
            requiredForDatabase = "none")
    public Boolean getAnalyze() {
        return analyze;
    }

    public void setAnalyze(Boolean analyze) {
        this.analyze = analyze;
    }
}
