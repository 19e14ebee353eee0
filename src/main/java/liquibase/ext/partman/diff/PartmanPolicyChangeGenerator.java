package liquibase.ext.partman.diff;

import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.ChangedObjectChangeGenerator;
import liquibase.diff.output.changelog.MissingObjectChangeGenerator;
import liquibase.ext.partman.snapshot.PartmanPolicy;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Index;
import liquibase.structure.core.PrimaryKey;
import liquibase.structure.core.Table;

/**
 * A missing policy becomes createPartmanParent (after its table, key and indexes, which pg_partman
 * copies into each partition) plus setRetention / setPartmanConfig for what differs from
 * pg_partman's defaults; a changed one becomes setRetention / setPartmanConfig for the settings
 * that differ. A registration setting that differs (control column, interval, type, template)
 * has no change type short of registering the table anew, so diff reports it and nothing is
 * written for it; neither is anything written for a policy the reference does not have.
 */
public class PartmanPolicyChangeGenerator extends PartmanChangeGenerator
        implements MissingObjectChangeGenerator, ChangedObjectChangeGenerator {

    public PartmanPolicyChangeGenerator() {
        super(PartmanPolicy.class, Table.class, PrimaryKey.class, Index.class);
    }

    @Override
    public Change[] fixMissing(DatabaseObject missingObject, DiffOutputControl control, Database referenceDatabase,
                               Database comparisonDatabase, ChangeGeneratorChain chain) {
        return new PolicyChanges((PartmanPolicy) missingObject, control).toCreate().toArray(EMPTY_CHANGE);
    }

    @Override
    public Change[] fixChanged(DatabaseObject changedObject, ObjectDifferences differences, DiffOutputControl control,
                               Database referenceDatabase, Database comparisonDatabase, ChangeGeneratorChain chain) {
        return new PolicyChanges((PartmanPolicy) changedObject, control).toUpdate(differences::isDifferent).toArray(EMPTY_CHANGE);
    }
}
