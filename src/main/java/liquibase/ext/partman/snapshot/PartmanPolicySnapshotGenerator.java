package liquibase.ext.partman.snapshot;

import java.util.List;

import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.structure.core.Schema;

/** Adds the pg_partman policies of a snapshotted schema's tables; none where pg_partman is not installed. */
// Liquibase's JdbcSnapshotGenerator implements SnapshotGenerator's generic snapshot() with raw types.
@SuppressWarnings("unchecked")
public class PartmanPolicySnapshotGenerator extends SchemaObjectSnapshotGenerator {

    public PartmanPolicySnapshotGenerator() {
        super(PartmanPolicy.class);
    }

    @Override
    protected List<PartmanPolicy> read(Database database, Schema schema) throws DatabaseException {
        return PolicyReader.read(database, schema);
    }
}
