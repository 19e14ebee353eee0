package liquibase.ext.partman.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.ext.partman.version.PartmanTargetResolver;

/**
 * Reads PostgreSQL's catalogs, pg_partman's part_config and pg_cron's cron.job with bound
 * parameters on the connection Liquibase snapshots through. Every query is read-only and guarded
 * (to_regclass, pg_extension), so a database without the extensions answers with no rows.
 */
final class CatalogQuery {

    private CatalogQuery() {
    }

    /** Each row as column label to value, in the order of the SELECT list. */
    static List<Map<String, Object>> rows(Database database, String sql, Object... parameters) throws DatabaseException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return List.of();
        }
        Connection connection = jdbc.getUnderlyingConnection();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData columns = result.getMetaData();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns.getColumnCount(); c++) {
                        row.put(columns.getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DatabaseException("liquibase-partman could not read " + sql.lines().findFirst().orElse(sql) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The schema pg_partman is installed in, or null when it is not installed in this database or
     * when this role may not read part_config (which a role running only updates need not): then
     * nothing of pg_partman is snapshotted, and a warning says that its partitions show as tables.
     */
    static String partmanSchema(Database database) throws DatabaseException {
        String schema = PartmanTargetResolver.installedPartmanSchema(database);
        if (schema == null) {
            return null;
        }
        List<Map<String, Object>> rows = rows(database, "SELECT has_schema_privilege(?, 'USAGE') "
                + "AND has_table_privilege(format('%I.part_config', ?::text), 'SELECT') AS readable", schema, schema);
        if (!Boolean.TRUE.equals(rows.get(0).get("readable"))) {
            Scope.getCurrentScope().getLog(CatalogQuery.class).warning("liquibase-partman: pg_partman is installed in schema "
                    + schema + ", but this role may not read " + schema + ".part_config: pg_partman policies are left out of the "
                    + "snapshot and its partitions show as tables. GRANT USAGE ON SCHEMA " + schema + " and SELECT ON "
                    + schema + ".part_config to read them.");
            return null;
        }
        return schema;
    }
}
