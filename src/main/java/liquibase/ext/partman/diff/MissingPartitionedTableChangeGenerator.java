package liquibase.ext.partman.diff;

import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.core.MissingTableChangeGenerator;
import liquibase.ext.partman.change.PartitionedCreateTableChange;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;

/**
 * Core's createTable for a missing table on PostgreSQL, with the partition key of a partitioned
 * table in partman:partitionBy, so the table is created partitioned again.
 */
public class MissingPartitionedTableChangeGenerator extends MissingTableChangeGenerator {

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase && Table.class.isAssignableFrom(objectType) ? PRIORITY_DATABASE : PRIORITY_NONE;
    }

    @Override
    protected CreateTableChange createCreateTableChange() {
        return new PartitionedCreateTableChange();
    }

    @Override
    public Change[] fixMissing(DatabaseObject missingObject, DiffOutputControl control, Database referenceDatabase,
                               Database comparisonDatabase, ChangeGeneratorChain chain) {
        Change[] changes = super.fixMissing(missingObject, control, referenceDatabase, comparisonDatabase, chain);
        String partitionBy = missingObject.getAttribute("partitionBy", String.class);
        if (changes != null && partitionBy != null) {
            for (Change change : changes) {
                if (change instanceof PartitionedCreateTableChange createTable) {
                    createTable.setPartitionBy(partitionBy);
                }
            }
        }
        return changes;
    }
}
