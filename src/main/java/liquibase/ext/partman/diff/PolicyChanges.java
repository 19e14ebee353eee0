package liquibase.ext.partman.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.diff.output.DiffOutputControl;
import liquibase.ext.partman.change.AbstractTableChange;
import liquibase.ext.partman.change.CreatePartmanParentChange;
import liquibase.ext.partman.change.SetPartmanConfigChange;
import liquibase.ext.partman.change.SetRetentionChange;
import liquibase.ext.partman.snapshot.PartmanPolicy;
import liquibase.ext.partman.version.PartmanSetting;

/**
 * The changes that give a table a policy: createPartmanParent for the registration, then
 * setRetention and setPartmanConfig for the settings asked for, each only when it has any. Which
 * setting goes to which change is {@link PartmanSetting}'s.
 */
final class PolicyChanges {

    private static final String REGISTRATION = PartmanSetting.Owner.CREATE_PARTMAN_PARENT.changeName();

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
        addIfAny(changes, settings(new SetRetentionChange(), changed));
        // A new registration names these in createPartmanParent already.
        Predicate<String> notGivenAtRegistration = name -> PartmanSetting.givenBy(REGISTRATION).stream()
                .noneMatch(setting -> setting.attribute().equals(name));
        addIfAny(changes, settings(new SetPartmanConfigChange(), changed.and(notGivenAtRegistration)));
        return changes;
    }

    /** The settings that differ, as they are in the policy. */
    List<Change> toUpdate(Predicate<String> differs) {
        List<Change> changes = new ArrayList<>();
        addIfAny(changes, settings(new SetRetentionChange(), differs));
        addIfAny(changes, settings(new SetPartmanConfigChange(), differs));
        return changes;
    }

    /**
     * createPartmanParent with the policy's create_parent arguments: those only a registration
     * sets unless they are the change's own default (type range), the others unless pg_partman
     * would give them that value anyway.
     */
    private CreatePartmanParentChange registration() {
        CreatePartmanParentChange change = table(new CreatePartmanParentChange());
        for (PartmanSetting setting : PartmanSetting.givenBy(REGISTRATION)) {
            Object value = policy.setting(setting.attribute());
            boolean atDefault = setting.owner() == PartmanSetting.Owner.CREATE_PARTMAN_PARENT
                    ? Objects.equals(value, setting.defaultValue()) : policy.isDefault(setting.attribute());
            if (!atDefault) {
                set(change, setting, value);
            }
        }
        change.setStartPartition(policy.getStartPartition());
        if (Boolean.FALSE.equals(policy.getDefaultPartition())) {
            change.setDefaultTable(false);
        }
        return change;
    }

    /**
     * setRetention or setPartmanConfig with the settings it owns that the filter picks; a NULL is
     * written as the value that clears it (retention 'none', constraintCols '').
     */
    private <T extends AbstractTableChange> T settings(T change, Predicate<String> pick) {
        table(change);
        for (PartmanSetting setting : PartmanSetting.ownedBy(change.getSerializedObjectName())) {
            if (pick.test(setting.attribute())) {
                Object value = policy.setting(setting.attribute());
                set(change, setting, value == null ? setting.cleared() : value);
            }
        }
        return change;
    }

    private static void set(Change change, PartmanSetting setting, Object value) {
        Scope.getCurrentScope().getSingleton(ChangeFactory.class).getChangeMetaData(change).getParameters()
                .get(setting.attribute()).setValue(change, value);
    }

    private <T extends AbstractTableChange> T table(T change) {
        change.setTableName(policy.getName());
        if (control.getIncludeSchema() && policy.getSchema() != null) {
            change.setSchemaName(policy.getSchema().getName());
        }
        return change;
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
