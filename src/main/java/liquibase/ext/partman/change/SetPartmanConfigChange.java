package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/**
 * Sets the part_config columns other than retention and registration: its rows in
 * {@link liquibase.ext.partman.version.PartmanSetting}, one bean property each.
 */
@DatabaseChange(name = "setPartmanConfig", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Sets pg_partman settings for a table (UPDATE part_config)")
public class SetPartmanConfigChange extends AbstractConfigChange {

    private Integer premake;
    private Boolean infiniteTimePartitions;
    private Boolean automaticMaintenance;
    private Integer optimizeConstraint;
    private String constraintCols;
    private Boolean constraintValid;
    private Boolean inheritPrivileges;
    private Boolean ignoreDefaultData;
    private Boolean jobmon;
    private Boolean detachBeforeDrop;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        rules.atLeastOne("premake", premake);
        if (optimizeConstraint != null && optimizeConstraint < 0) {
            rules.error("optimizeConstraint", "must be 0 or more, not " + optimizeConstraint);
        }
        rules.columns("constraintCols", constraintCols);
    }

    @Override
    public String getConfirmationMessage() {
        return "pg_partman settings of " + getTableName() + " changed: " + String.join(", ", assignments().keySet());
    }

    @DatabaseChangeProperty(description = "Partitions kept ahead of the current one", requiredForDatabase = "none")
    public Integer getPremake() {
        return premake;
    }

    public void setPremake(Integer premake) {
        this.premake = premake;
    }

    @DatabaseChangeProperty(description = "Keep making time partitions ahead of now even when no new rows arrive",
            requiredForDatabase = "none")
    public Boolean getInfiniteTimePartitions() {
        return infiniteTimePartitions;
    }

    public void setInfiniteTimePartitions(Boolean infiniteTimePartitions) {
        this.infiniteTimePartitions = infiniteTimePartitions;
    }

    @DatabaseChangeProperty(description = "Whether run_maintenance() without arguments maintains this table",
            requiredForDatabase = "none")
    public Boolean getAutomaticMaintenance() {
        return automaticMaintenance;
    }

    public void setAutomaticMaintenance(Boolean automaticMaintenance) {
        this.automaticMaintenance = automaticMaintenance;
    }

    @DatabaseChangeProperty(description = "Partitions back from the current one that get constraint_cols constraints",
            requiredForDatabase = "none")
    public Integer getOptimizeConstraint() {
        return optimizeConstraint;
    }

    public void setOptimizeConstraint(Integer optimizeConstraint) {
        this.optimizeConstraint = optimizeConstraint;
    }

    @DatabaseChangeProperty(description = "Comma-separated columns that get constraints on older partitions; empty clears",
            requiredForDatabase = "none")
    public String getConstraintCols() {
        return constraintCols;
    }

    public void setConstraintCols(String constraintCols) {
        this.constraintCols = constraintCols;
    }

    @DatabaseChangeProperty(description = "Whether those constraints are created VALID", requiredForDatabase = "none")
    public Boolean getConstraintValid() {
        return constraintValid;
    }

    public void setConstraintValid(Boolean constraintValid) {
        this.constraintValid = constraintValid;
    }

    @DatabaseChangeProperty(description = "Whether new partitions get the parent's privileges", requiredForDatabase = "none")
    public Boolean getInheritPrivileges() {
        return inheritPrivileges;
    }

    public void setInheritPrivileges(Boolean inheritPrivileges) {
        this.inheritPrivileges = inheritPrivileges;
    }

    @DatabaseChangeProperty(description = "Whether maintenance ignores rows in the DEFAULT partition when finding the newest data",
            requiredForDatabase = "none")
    public Boolean getIgnoreDefaultData() {
        return ignoreDefaultData;
    }

    public void setIgnoreDefaultData(Boolean ignoreDefaultData) {
        this.ignoreDefaultData = ignoreDefaultData;
    }

    @DatabaseChangeProperty(description = "Log through pg_jobmon when it is installed", requiredForDatabase = "none")
    public Boolean getJobmon() {
        return jobmon;
    }

    public void setJobmon(Boolean jobmon) {
        this.jobmon = jobmon;
    }

    @DatabaseChangeProperty(description = "Retention detaches a partition before dropping it, as a partition that another "
            + "table references by foreign key needs (pg_partman 5.5+)", requiredForDatabase = "none")
    public Boolean getDetachBeforeDrop() {
        return detachBeforeDrop;
    }

    public void setDetachBeforeDrop(Boolean detachBeforeDrop) {
        this.detachBeforeDrop = detachBeforeDrop;
    }
}
