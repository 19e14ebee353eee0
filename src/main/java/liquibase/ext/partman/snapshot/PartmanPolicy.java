package liquibase.ext.partman.snapshot;

import java.util.Map;
import java.util.Objects;

import liquibase.structure.core.Schema;

/**
 * A table's pg_partman registration: its part_config row, as far as the change types cover it.
 * Named after the parent table and kept in the parent's schema. Every attribute is a setting
 * that diff compares, named after the change attribute that sets it; what only creation needs
 * (the first partition's start, whether a DEFAULT partition exists, part_config's column
 * defaults) is carried beside the attributes, so it is never reported as drift.
 */
public class PartmanPolicy extends SchemaObject {

    private String startPartition;
    private Boolean defaultPartition;
    private Map<String, Object> columnDefaults = Map.of();

    public PartmanPolicy() {
    }

    public PartmanPolicy(Schema schema, String tableName) {
        super(schema, tableName);
    }

    /** A setting by its change attribute name. */
    public Object setting(String name) {
        return getAttribute(name, Object.class);
    }

    /** Whether a setting has the value pg_partman gives it when createPartmanParent does not name it. */
    public boolean isDefault(String name) {
        Object value = setting(name);
        return columnDefaults.containsKey(name) ? Objects.equals(value, columnDefaults.get(name)) : value == null;
    }

    /** The lower bound of the oldest partition, as PostgreSQL writes it; null for list partitioning. */
    public String getStartPartition() {
        return startPartition;
    }

    public void setStartPartition(String startPartition) {
        this.startPartition = startPartition;
    }

    /** Whether the table has a DEFAULT partition; null when unknown (a policy read from a snapshot file). */
    public Boolean getDefaultPartition() {
        return defaultPartition;
    }

    public void setDefaultPartition(Boolean defaultPartition) {
        this.defaultPartition = defaultPartition;
    }

    /** part_config's column defaults on this server, under the change attribute names. */
    public void setColumnDefaults(Map<String, Object> columnDefaults) {
        this.columnDefaults = columnDefaults;
    }

    @Override
    public String toString() {
        return getSchema() == null ? getName() : getSchema().getName() + "." + getName();
    }
}
