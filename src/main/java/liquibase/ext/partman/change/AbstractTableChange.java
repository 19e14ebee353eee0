package liquibase.ext.partman.change;

import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;

/** A change that works on one partitioned parent table. */
public abstract class AbstractTableChange extends AbstractPartmanChange {

    private final boolean tableRequired;
    private String schemaName;
    private String tableName;

    protected AbstractTableChange() {
        this(true);
    }

    /** @param tableRequired false for a change that acts on every managed table when tableName is left out */
    protected AbstractTableChange(boolean tableRequired) {
        this.tableRequired = tableRequired;
    }

    @DatabaseChangeProperty(description = "Schema of the parent table; defaults to the changelog's default schema",
            requiredForDatabase = "none")
    public String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(description = "Name of the partitioned parent table", requiredForDatabase = "all")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @Override
    protected void validateAttributes(AttributeRules rules) {
        if (tableRequired) {
            rules.required("tableName", tableName);
        }
        rules.identifier("schemaName", schemaName);
        rules.identifier("tableName", tableName);
        validateOtherAttributes(rules);
    }

    /** Adds the checks of the attributes besides schemaName and tableName. */
    protected abstract void validateOtherAttributes(AttributeRules rules);

    protected ParentTable parentTable(Database database) {
        return ParentTable.of(schemaName, tableName, database);
    }

    @Override
    protected String changeKey() {
        return super.changeKey() + (getChangeSet() == null ? "::" + tableName : "");
    }
}
