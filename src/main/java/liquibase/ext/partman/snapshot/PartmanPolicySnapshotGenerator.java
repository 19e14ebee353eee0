package liquibase.ext.partman.snapshot;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.jvm.JdbcSnapshotGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/** Adds the pg_partman policies of a snapshotted schema's tables; none where pg_partman is not installed. */
public class PartmanPolicySnapshotGenerator extends JdbcSnapshotGenerator {

    public PartmanPolicySnapshotGenerator() {
        super(PartmanPolicy.class, new Class[] {Schema.class});
    }

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase ? super.getPriority(objectType, database) : PRIORITY_NONE;
    }

    @Override
    protected DatabaseObject snapshotObject(DatabaseObject example, DatabaseSnapshot snapshot) throws DatabaseException {
        if (example.getSnapshotId() != null) {
            return example;
        }
        for (PartmanPolicy policy : PolicyReader.read(snapshot.getDatabase(), example.getSchema())) {
            if (policy.getName().equals(example.getName())) {
                return policy;
            }
        }
        return null;
    }

    @Override
    protected void addTo(DatabaseObject foundObject, DatabaseSnapshot snapshot) throws DatabaseException {
        if (foundObject instanceof Schema schema) {
            PolicyReader.read(snapshot.getDatabase(), schema).forEach(schema::addDatabaseObject);
        }
    }
}
