package liquibase.ext.partman.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small JDBC conveniences for assertions. */
public final class SqlRows {

    private SqlRows() {
    }

    public static List<Map<String, Object>> query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    /** The first column of the first row, or null. */
    public static Object value(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getObject(1) : null;
        }
    }

    public static long count(Connection connection, String sql) throws SQLException {
        return ((Number) value(connection, sql)).longValue();
    }

    public static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    public static boolean exists(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next();
        }
    }

    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Row count and an order-independent digest of every row of a table (parent: all partitions). */
    public static String fingerprint(Connection connection, String table) throws SQLException {
        return (String) value(connection, "SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), ',' "
                + "ORDER BY md5(t::text))), '-') FROM " + table + " t");
    }

    /** Polls the query until it returns a row: what another session is doing, seen from outside. */
    public static void waitFor(Connection connection, String query) throws SQLException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (exists(connection, query)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited 30 s in vain for: " + query);
    }
}
