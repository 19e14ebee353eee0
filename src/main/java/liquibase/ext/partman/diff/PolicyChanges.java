package liquibase.ext.partman.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import liquibase.change.Change;
import liquibase.diff.output.DiffOutputControl;
import liquibase.ext.partman.change.AbstractTableChange;
import liquibase.ext.partman.change.CreatePartmanParentChange;
import liquibase.ext.partman.change.SetPartmanConfigChange;
import liquibase.ext.partman.change.SetRetentionChange;
import liquibase.ext.partman.snapshot.PartmanPolicy;

/**
 * The changes that give a table a policy: createPartmanParent for the registration, then
 * setRetention and setPartmanConfig for the settings asked for, each only when it has any.
 */
final class PolicyChanges {

    /** Settings createPartmanParent takes as well as setPartmanConfig; a new registration names them there. */
    private static final List<String> GIVEN_AT_REGISTRATION = List.of("premake", "automaticMaintenance", "constraintCols", "jobmon");

    private final PartmanPolicy policy;
    private final DiffOutputControl control;

    PolicyChanges(PartmanPolicy policy, DiffOutputControl control) {
        this.policy = policy;
        this.control = control;
    }

    /** Everything a database without the policy needs: what createPartmanParent leaves at its default is not repeated. */
    List<Change> toCreate() {
        List<Change> changes = new ArrayList<>();
        changes.add(registration());
        Predicate<String> changed = name -> !policy.isDefault(name);
        addIfAny(changes, retention(changed));
        addIfAny(changes, config(changed.and(name -> !GIVEN_AT_REGISTRATION.contains(name))));
        return changes;
    }

    /** The settings that differ, as they are in the policy. */
    List<Change> toUpdate(Predicate<String> differs) {
        List<Change> changes = new ArrayList<>();
        addIfAny(changes, retention(differs));
        addIfAny(changes, config(differs));
        return changes;
    }

    private CreatePartmanParentChange registration() {
        CreatePartmanParentChange change = table(new CreatePartmanParentChange());
        change.setControlColumn(string("controlColumn"));
        change.setInterval(string("interval"));
        if (!"range".equals(policy.setting("type"))) {
            change.setType(string("type"));
        }
        change.setStartPartition(policy.getStartPartition());
        if (Boolean.FALSE.equals(policy.getDefaultPartition())) {
            change.setDefaultTable(false);
        }
        change.setTemplateTable(string("templateTable"));
        change.setDateTruncInterval(string("dateTruncInterval"));
        Predicate<String> notDefault = name -> !policy.isDefault(name);
        copy(notDefault, "premake", change::setPremake);
        copy(notDefault, "automaticMaintenance", change::setAutomaticMaintenance);
        copy(notDefault, "jobmon", change::setJobmon);
        change.setConstraintCols(string("constraintCols"));
        return change;
    }

    /** setRetention for the retention settings the filter picks; retention NULL is written as 'none' (keep forever). */
    private SetRetentionChange retention(Predicate<String> pick) {
        SetRetentionChange change = table(new SetRetentionChange());
        if (pick.test("retention")) {
            change.setRetention(policy.setting("retention") == null ? SetRetentionChange.KEEP_FOREVER : string("retention"));
        }
        copy(pick, "retentionKeepTable", change::setRetentionKeepTable);
        copy(pick, "retentionKeepIndex", change::setRetentionKeepIndex);
        copy(pick, "retentionSchema", change::setRetentionSchema);
        return change;
    }

    /** setPartmanConfig for the settings the filter picks; constraint_cols NULL is written as '' (none). */
    private SetPartmanConfigChange config(Predicate<String> pick) {
        SetPartmanConfigChange change = table(new SetPartmanConfigChange());
        if (pick.test("constraintCols")) {
            change.setConstraintCols(policy.setting("constraintCols") == null ? "" : string("constraintCols"));
        }
        copy(pick, "premake", change::setPremake);
        copy(pick, "infiniteTimePartitions", change::setInfiniteTimePartitions);
        copy(pick, "automaticMaintenance", change::setAutomaticMaintenance);
        copy(pick, "optimizeConstraint", change::setOptimizeConstraint);
        copy(pick, "constraintValid", change::setConstraintValid);
        copy(pick, "inheritPrivileges", change::setInheritPrivileges);
        copy(pick, "ignoreDefaultData", change::setIgnoreDefaultData);
        copy(pick, "jobmon", change::setJobmon);
        copy(pick, "detachBeforeDrop", change::setDetachBeforeDrop);
        return change;
    }

    /** Gives the change the policy's value of a setting the filter picks. */
    @SuppressWarnings("unchecked")
    private <T> void copy(Predicate<String> pick, String setting, Consumer<T> setter) {
        if (pick.test(setting)) {
            setter.accept((T) policy.setting(setting));
        }
    }

    private <T extends AbstractTableChange> T table(T change) {
        change.setTableName(policy.getName());
        if (control.getIncludeSchema() && policy.getSchema() != null) {
            change.setSchemaName(policy.getSchema().getName());
        }
        return change;
    }

    private String string(String setting) {
        return (String) policy.setting(setting);
    }

    /** Adds a setRetention or setPartmanConfig only when it sets something (it refuses to set nothing). */
    private static void addIfAny(List<Change> changes, Change change) {
        boolean setsSomething = change.getSerializableFields().stream()
                .filter(field -> !field.equals("tableName") && !field.equals("schemaName"))
                .anyMatch(field -> change.getSerializableFieldValue(field) != null);
        if (setsSomething) {
            changes.add(change);
        }
    }
}
