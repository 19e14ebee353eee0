package liquibase.ext.partman.snapshot;

import java.util.List;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.jvm.JdbcSnapshotGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/**
 * Snapshots one kind of {@link SchemaObject} on PostgreSQL: all of a schema's are read in one go
 * when the schema is snapshotted, and a single one by reading its schema's and picking it by name.
 */
// Liquibase's JdbcSnapshotGenerator implements SnapshotGenerator's generic snapshot() with raw types.
@SuppressWarnings("unchecked")
abstract class SchemaObjectSnapshotGenerator extends JdbcSnapshotGenerator {

    @SuppressWarnings("rawtypes")
    SchemaObjectSnapshotGenerator(Class<? extends SchemaObject> type) {
        super(type, new Class[] {Schema.class});
    }

    /** The objects of this kind in the schema; none where the extension behind them is missing. */
    protected abstract List<? extends SchemaObject> read(Database database, Schema schema) throws DatabaseException;

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase ? super.getPriority(objectType, database) : PRIORITY_NONE;
    }

    @Override
    protected DatabaseObject snapshotObject(DatabaseObject example, DatabaseSnapshot snapshot) throws DatabaseException {
        if (example.getSnapshotId() != null) {
            return example;
        }
        for (SchemaObject object : read(snapshot.getDatabase(), example.getSchema())) {
            if (object.getName().equals(example.getName())) {
                return object;
            }
        }
        return null;
    }

    @Override
    protected void addTo(DatabaseObject foundObject, DatabaseSnapshot snapshot) throws DatabaseException {
        if (foundObject instanceof Schema schema) {
            read(snapshot.getDatabase(), schema).forEach(schema::addDatabaseObject);
        }
    }
}
