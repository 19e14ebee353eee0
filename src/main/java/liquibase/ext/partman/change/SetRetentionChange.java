package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.version.PartmanSetting;
import liquibase.ext.partman.version.PartmanTarget;

/** Sets how long pg_partman keeps a table's partitions, and what it does with older ones. */
@DatabaseChange(name = "setRetention", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Sets pg_partman retention for a table (UPDATE part_config)")
public class SetRetentionChange extends AbstractConfigChange {

    /** The retention value that means "keep forever" (part_config.retention NULL). */
    public static final String KEEP_FOREVER = PartmanSetting.KEEP_FOREVER;

    private String retention;
    private Boolean retentionKeepTable;
    private Boolean retentionKeepIndex;
    private String retentionSchema;
    private Integer maxPartitionsDropped;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        if (!KEEP_FOREVER.equals(retention)) {
            rules.intervalOrCount("retention", retention);
        }
        rules.identifier("retentionSchema", retentionSchema);
        if (maxPartitionsDropped != null && maxPartitionsDropped < 0) {
            rules.error("maxPartitionsDropped", "must be 0 or more, not " + maxPartitionsDropped);
        }
        if (retention != null && !KEEP_FOREVER.equals(retention) && retentionKeepTable == null && retentionSchema == null) {
            rules.warning("retentionKeepTable", "is not set: pg_partman's default ("
                    + PartmanSetting.RETENTION_KEEP_TABLE.defaultValue() + ") only detaches partitions older than the retention, "
                    + "it does not drop them");
        }
    }

    /** Time retentions only: an id retention depends on the newest id, known only to maintenance. */
    private RetentionPreview preview(PartmanTarget target, ParentTable parent) {
        if (retention == null || KEEP_FOREVER.equals(retention) || !AttributeRules.isInterval(retention)) {
            return null;
        }
        return new RetentionPreview(target, parent, retention.trim());
    }

    @Override
    protected String commentBefore(PartmanTarget target, ParentTable parent, Database database) {
        RetentionPreview preview = preview(target, parent);
        return preview == null ? "" : preview.comment(database);
    }

    /**
     * pg_partman 5.5 moves a partition into the retention schema only when that schema's owner owns
     * the partition; otherwise every maintenance run fails on it, long after this change. Refused here.
     */
    @Override
    protected String beforeUpdate(PartmanTarget target, ParentTable parent) {
        if (retentionSchema == null || !target.retentionSchemaMustShareOwner()) {
            return "";
        }
        return SqlTemplate.of("setRetention/require-schema-owner").sql("REGCLASS", parent.regclassText())
                .literal("SCHEMA", retentionSchema).sql("PARENT", parent.partmanName()).renderLines();
    }

    @Override
    protected String afterUpdate(PartmanTarget target, ParentTable parent) {
        RetentionPreview preview = preview(target, parent);
        return preview == null ? "" : preview.noticeAndLimit(maxPartitionsDropped);
    }

    @Override
    public String getConfirmationMessage() {
        return "Retention of " + getTableName() + " set to " + retention;
    }

    @DatabaseChangeProperty(description = "How long partitions are kept: an interval ('6 months'), a whole number for id "
            + "tables, or 'none' to keep them forever", requiredForDatabase = "none", exampleValue = "6 months")
    public String getRetention() {
        return retention;
    }

    public void setRetention(String retention) {
        this.retention = retention;
    }

    @DatabaseChangeProperty(description = "true: old partitions are detached and kept; false: they are dropped",
            requiredForDatabase = "none")
    public Boolean getRetentionKeepTable() {
        return retentionKeepTable;
    }

    public void setRetentionKeepTable(Boolean retentionKeepTable) {
        this.retentionKeepTable = retentionKeepTable;
    }

    @DatabaseChangeProperty(description = "Whether kept (detached) partitions keep their indexes", requiredForDatabase = "none")
    public Boolean getRetentionKeepIndex() {
        return retentionKeepIndex;
    }

    public void setRetentionKeepIndex(Boolean retentionKeepIndex) {
        this.retentionKeepIndex = retentionKeepIndex;
    }

    @DatabaseChangeProperty(description = "Fail instead when the next maintenance would drop or detach more partitions than this",
            requiredForDatabase = "none")
    public Integer getMaxPartitionsDropped() {
        return maxPartitionsDropped;
    }

    public void setMaxPartitionsDropped(Integer maxPartitionsDropped) {
        this.maxPartitionsDropped = maxPartitionsDropped;
    }

    @DatabaseChangeProperty(description = "Move old partitions to this schema instead of dropping them", requiredForDatabase = "none")
    public String getRetentionSchema() {
        return retentionSchema;
    }

    public void setRetentionSchema(String retentionSchema) {
        this.retentionSchema = retentionSchema;
    }
}
