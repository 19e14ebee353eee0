package liquibase.ext.partman.snapshot;

import java.util.Map;
import java.util.Set;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.InvalidExampleException;
import liquibase.snapshot.SnapshotGenerator;
import liquibase.snapshot.jvm.TableSnapshotGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;
import liquibase.structure.core.Table;

/**
 * Core's table snapshot on PostgreSQL, plus two things it does not know: a partitioned table
 * keeps its partition key (attribute {@value PartitionedTables#PARTITION_BY}), and the tables
 * pg_partman makes (partitions, DEFAULT, templates) and our undo table are left out of the schema,
 * so neither they nor their columns, keys and indexes reach a changelog or a diff.
 */
// Liquibase's JdbcSnapshotGenerator implements SnapshotGenerator's generic snapshot() with raw types.
@SuppressWarnings("unchecked")
public class PartitionedTableSnapshotGenerator extends TableSnapshotGenerator {

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase ? super.getPriority(objectType, database) : PRIORITY_NONE;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<? extends SnapshotGenerator>[] replaces() {
        return new Class[] {TableSnapshotGenerator.class};
    }

    @Override
    protected DatabaseObject snapshotObject(DatabaseObject example, DatabaseSnapshot snapshot) throws DatabaseException {
        DatabaseObject table = super.snapshotObject(example, snapshot);
        if (table instanceof Table && table.getSchema() != null) {
            table.setAttribute(PartitionedTables.PARTITION_BY,
                    PartitionedTables.partitionBy(snapshot.getDatabase(), table.getSchema().getName(), table.getName()));
        }
        return table;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void addTo(DatabaseObject foundObject, DatabaseSnapshot snapshot) throws DatabaseException, InvalidExampleException {
        super.addTo(foundObject, snapshot);
        if (foundObject instanceof Schema schema) {
            Set<DatabaseObject> tables = (Set<DatabaseObject>) schema.getAttribute("objects", Map.class).get(Table.class);
            if (tables != null) {
                Set<String> excluded = PartitionedTables.notOwnedByChangelog(snapshot.getDatabase(), schema.getName());
                tables.removeIf(table -> excluded.contains(table.getName()));
            }
        }
    }
}
