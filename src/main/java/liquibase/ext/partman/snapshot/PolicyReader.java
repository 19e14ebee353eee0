package liquibase.ext.partman.snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanSetting;
import liquibase.structure.core.Schema;

/**
 * Reads the pg_partman policies of one schema from part_config. Each row is read as jsonb, so a
 * column that this pg_partman version lacks (date_trunc_interval before 5.0) reads as NULL.
 */
final class PolicyReader {

    /** The part_config settings the change types cover, in the table's order. */
    private static final List<PartmanSetting> SETTINGS = List.of(PartmanSetting.values());

    private static final Pattern RANGE_START = Pattern.compile("FOR VALUES FROM \\((.+?)\\) TO \\(");

    private PolicyReader() {
    }

    /** The policies of the tables in this schema; none when pg_partman is not installed here. */
    static List<PartmanPolicy> read(Database database, Schema schema) throws DatabaseException {
        String partmanSchema = CatalogQuery.partmanSchema(database);
        if (partmanSchema == null) {
            return List.of();
        }
        String columns = SETTINGS.stream().map(s -> "j->>" + SqlText.literal(s.column()) + " AS " + SqlText.identifier(s.attribute()))
                .collect(Collectors.joining(", "));
        List<Map<String, Object>> rows = CatalogQuery.rows(database, "SELECT substr(p.parent_table, length(?) + 2) AS table_name, "
                + columns + " FROM " + SqlText.qualified(partmanSchema, "part_config") + " p, to_jsonb(p) j "
                + "WHERE p.parent_table LIKE ? ORDER BY p.parent_table", schema.getName(), likePrefix(schema.getName()));
        Map<String, Object> defaults = columnDefaults(database, partmanSchema);
        List<PartmanPolicy> policies = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            PartmanPolicy policy = new PartmanPolicy(schema, (String) row.get("table_name"));
            for (PartmanSetting setting : SETTINGS) {
                policy.setAttribute(setting.attribute(), setting.read((String) row.get(setting.attribute())));
            }
            if (isPartmansOwnTemplate(policy, partmanSchema)) {
                policy.setAttribute("templateTable", null);
            }
            policy.setColumnDefaults(defaults);
            readPartitions(database, partmanSchema, policy);
            policies.add(policy);
        }
        return policies;
    }

    /**
     * pg_partman creates its template tables in its own schema; a template elsewhere is the
     * user's, named in the policy and kept as a table of the changelog.
     */
    private static boolean isPartmansOwnTemplate(PartmanPolicy policy, String partmanSchema) {
        Object template = policy.setting("templateTable");
        return template != null && ((String) template).startsWith(partmanSchema + ".");
    }

    /** part_config's column defaults, evaluated by the server: what create_parent leaves unnamed settings at. */
    private static Map<String, Object> columnDefaults(Database database, String partmanSchema) throws DatabaseException {
        List<Map<String, Object>> expressions = CatalogQuery.rows(database, "SELECT a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS expr "
                + "FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                + "WHERE d.adrelid = to_regclass(?)", SqlText.qualified(partmanSchema, "part_config"));
        Map<String, String> byColumn = new LinkedHashMap<>();
        expressions.forEach(row -> byColumn.put((String) row.get("attname"), (String) row.get("expr")));
        List<PartmanSetting> withDefault = SETTINGS.stream().filter(s -> byColumn.containsKey(s.column())).toList();
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (withDefault.isEmpty()) {
            return defaults;
        }
        // The expressions are pg_partman's own column defaults (constants such as 4 or 'on'::text).
        Map<String, Object> values = CatalogQuery.rows(database, "SELECT " + withDefault.stream()
                .map(s -> "(" + byColumn.get(s.column()) + ")::text AS " + SqlText.identifier(s.attribute()))
                .collect(Collectors.joining(", "))).get(0);
        for (PartmanSetting setting : SETTINGS) {
            defaults.put(setting.attribute(), setting.read((String) values.get(setting.attribute())));
        }
        return defaults;
    }

    /** The oldest partition's lower bound and whether there is a DEFAULT partition. */
    private static void readPartitions(Database database, String partmanSchema, PartmanPolicy policy) throws DatabaseException {
        String parent = policy.getSchema().getName() + "." + policy.getName();
        List<Map<String, Object>> oldest = CatalogQuery.rows(database, "SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound "
                + "FROM " + SqlText.qualified(partmanSchema, "show_partitions") + "(?, 'ASC') s "
                + "JOIN pg_catalog.pg_namespace n ON n.nspname = s.partition_schemaname "
                + "JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.partition_tablename LIMIT 1", parent);
        if (!oldest.isEmpty()) {
            Matcher start = RANGE_START.matcher((String) oldest.get(0).get("bound"));
            if (start.find() && !start.group(1).equals("MINVALUE")) {
                policy.setStartPartition(unquote(start.group(1)));
            }
        }
        policy.setDefaultPartition(!CatalogQuery.rows(database, "SELECT 1 FROM pg_catalog.pg_inherits i "
                + "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(?) "
                + "AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'", SqlText.qualified(policy.getSchema().getName(),
                policy.getName())).isEmpty());
    }

    private static String likePrefix(String schema) {
        return schema.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%";
    }

    private static String unquote(String literal) {
        return literal.startsWith("'") ? literal.substring(1, literal.length() - 1).replace("''", "'") : literal;
    }
}
