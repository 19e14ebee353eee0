package liquibase.ext.partman.snapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;

/** What the catalogs say about partitioned tables: their keys, and which tables pg_partman owns. */
final class PartitionedTables {

    /** The Table attribute holding the partition key, in the form createTable's partitionBy takes. */
    static final String PARTITION_BY = "partitionBy";

    private PartitionedTables() {
    }

    /**
     * The tables of the schema that are pg_partman's to make, or ours: every partition of a
     * table pg_partman manages (its DEFAULT included), pg_partman's template tables, and the undo
     * table of liquibase-partman's changes. A changelog re-creates them by running the changes.
     */
    static Set<String> notOwnedByChangelog(Database database, String schema) throws DatabaseException {
        String partmanSchema = CatalogQuery.partmanSchema(database);
        String partmanTables = partmanSchema == null ? "" : " OR c.oid IN (SELECT i.inhrelid FROM pg_catalog.pg_inherits i "
                + "JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent "
                + "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
                + "JOIN " + SqlText.qualified(partmanSchema, "part_config") + " p ON p.parent_table = pn.nspname || '.' || pc.relname)"
                + " OR (n.nspname = " + SqlText.literal(partmanSchema) + " AND n.nspname || '.' || c.relname IN "
                + "(SELECT template_table FROM " + SqlText.qualified(partmanSchema, "part_config") + "))";
        List<Map<String, Object>> rows = CatalogQuery.rows(database, "SELECT c.relname FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND (c.relname = ?" + partmanTables + ")",
                schema, UndoLog.TABLE_NAME);
        Set<String> names = new HashSet<>();
        rows.forEach(row -> names.add((String) row.get("relname")));
        return names;
    }

    /**
     * The table's partition key as {@code RANGE (a, b)}, or null when it is not partitioned. A key
     * with expressions comes back as PostgreSQL writes it, which createTable then refuses by name.
     */
    static String partitionBy(Database database, String schema, String table) throws DatabaseException {
        List<Map<String, Object>> rows = CatalogQuery.rows(database, "SELECT CASE p.partstrat WHEN 'r' THEN 'RANGE' "
                + "WHEN 'l' THEN 'LIST' ELSE 'HASH' END || ' (' || string_agg(a.attname, ', ' ORDER BY k.ord) || ')' AS columns, "
                + "pg_catalog.pg_get_partkeydef(p.partrelid) AS definition, bool_or(k.attnum = 0) AS has_expression "
                + "FROM pg_catalog.pg_partitioned_table p "
                + "CROSS JOIN LATERAL unnest(p.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord) "
                + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum "
                + "WHERE p.partrelid = to_regclass(?) GROUP BY p.partrelid, p.partstrat", SqlText.qualified(schema, table));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return Boolean.TRUE.equals(row.get("has_expression")) ? (String) row.get("definition") : (String) row.get("columns");
    }
}
