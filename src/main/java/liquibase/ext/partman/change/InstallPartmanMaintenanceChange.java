package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.MaintenanceProcedure;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Installs (or replaces) the procedure partman_maintenance and creates its state table, in a
 * schema of the user's: pg_partman's maintenance with bounded lock waits, retried, recorded
 * (docs/design/maintenance.md). What was there before is kept first, so that rollback puts back
 * an earlier version of the procedure, or removes what this change created.
 */
@DatabaseChange(name = "installPartmanMaintenance", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Installs the procedure partman_maintenance (bounded lock waits, retried, recorded) and its state table")
public class InstallPartmanMaintenanceChange extends AbstractPartmanChange {

    private static final String UNDO_ACTION = "maintenance procedure";

    private String schemaName;

    @Override
    protected void validateAttributes(AttributeRules rules) {
        rules.required("schemaName", schemaName);
        rules.identifier("schemaName", schemaName);
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        MaintenanceProcedure procedure = procedure();
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock(SqlTemplate.of("installPartmanMaintenance/install")
                .sql("REQUIRE_PARTMAN", PartmanScripts.requirePartmanInstalled(target))
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("REMEMBER", undo.remember(changeKey(), procedure.signature(), UNDO_ACTION, procedure.currentState()))
                .sql("CREATE_STATE_TABLE", procedure.createStateTable())
                .sql("CREATE_PROCEDURE", procedure.create(target.partmanObject("part_config"), target.partmanObject("run_maintenance")))
                .render());
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        MaintenanceProcedure procedure = procedure();
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock(SqlTemplate.of("installPartmanMaintenance/rollback")
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("RECALL", undo.recall(changeKey(), procedure.signature(), UNDO_ACTION, "v_previous"))
                .literal("PROCEDURE_TEXT", procedure.name())
                .sql("RESTORE", procedure.restore("v_previous"))
                .sql("FORGET", undo.forget(changeKey(), procedure.signature()))
                .render());
    }

    private MaintenanceProcedure procedure() {
        return new MaintenanceProcedure(schemaName);
    }

    @Override
    public String getConfirmationMessage() {
        return "procedure " + schemaName + "." + MaintenanceProcedure.NAME + " installed";
    }

    @DatabaseChangeProperty(description = "Schema the procedure partman_maintenance and its table partman_maintenance_state "
            + "go into; any schema the role may create objects in (not necessarily pg_partman's)",
            requiredForDatabase = "all", exampleValue = "app")
    public String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }
}
