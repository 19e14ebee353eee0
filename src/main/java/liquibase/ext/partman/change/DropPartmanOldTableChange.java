package liquibase.ext.partman.change;

import java.nio.charset.StandardCharsets;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Ends a partitionExistingTable conversion: until this runs, the plain table kept as
 * {@code <table>_partman_old} and the triggers writing every change into it keep the way back exact,
 * at the cost of a second write per write. In one transaction, under locks whose wait is bounded,
 * the triggers, their function, the view keeping their columns and the old table are dropped. Nothing left to drop is a notice, so
 * a rerun does nothing; there is no way back, so the rollback refuses when it runs, as upgradePartman's does.
 */
@DatabaseChange(name = "dropPartmanOldTable", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Makes a partitionExistingTable conversion final: drops <table>_partman_old and the triggers keeping it exact; its rollback refuses")
public class DropPartmanOldTableChange extends AbstractTableChange {

    private String lockTimeout;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        rules.lockTimeout("lockTimeout", lockTimeout);
        if (getTableName() != null && getTableName().getBytes(StandardCharsets.UTF_8).length > PartitionExistingTableChange.MAX_TABLE_NAME_BYTES) {
            rules.error("tableName", "has more than " + PartitionExistingTableChange.MAX_TABLE_NAME_BYTES
                    + " bytes: partitionExistingTable converts no table with so long a name, so there is no <tableName>_partman_old to drop");
        }
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        return SqlText.doBlock(SqlTemplate.of("dropPartmanOldTable/drop")
                .literal("SCHEMA", parent.schema())
                .literal("TABLE", parent.table())
                .literal("OLD_TABLE", parent.table() + "_partman_old")
                .literal("BACK", parent.table() + "_partman_back")
                .literal("COLUMNS_VIEW", parent.table() + "_partman_cols")
                .sql("PARENT", parent.partmanName())
                .literal("LOCK_TIMEOUT", lockTimeout == null ? PartitionExistingTableChange.DEFAULT_LOCK_TIMEOUT : lockTimeout.trim())
                .sql("LOCK_TABLES", PartitionExistingTableChange.lock(getSerializedObjectName(), "v_name",
                        "EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_locked);"))
                .render());
    }

    /** The old table is gone, and with it the exact way back: the rollback refuses, saying so, when it runs. */
    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        return SqlText.doBlock(SqlTemplate.of("dropPartmanOldTable/rollback").raiseText("NAME", parent.partmanText())
                .raiseText("OLD_NAME", parent.partmanText() + "_partman_old").render());
    }

    @Override
    public String getConfirmationMessage() {
        return "Table " + getTableName() + "_partman_old and the triggers keeping it exact are dropped; the conversion of "
                + getTableName() + " is final";
    }

    @DatabaseChangeProperty(description = "Longest wait for the lock on the table and the old table before trying again, so that "
            + "queries queued behind it wait no longer ('100ms', '2s'); default " + PartitionExistingTableChange.DEFAULT_LOCK_TIMEOUT,
            requiredForDatabase = "none")
    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }
}
