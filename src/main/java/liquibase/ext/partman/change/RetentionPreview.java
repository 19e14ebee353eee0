package liquibase.ext.partman.change;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import liquibase.database.Database;
import liquibase.database.OfflineConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Which partitions the next maintenance will drop or detach under a new retention. pg_partman
 * has no dry run for retention; this applies its rule for time-based sets (a child goes when its
 * upper bound is older than now - retention) to the children that exist now.
 */
final class RetentionPreview {

    private final PartmanTarget target;
    private final ParentTable parent;
    private final String retention;

    RetentionPreview(PartmanTarget target, ParentTable parent, String retention) {
        this.target = target;
        this.parent = parent;
        this.retention = retention;
    }

    /** One row per affected child: child, from_bound, to_bound, estimated_rows. Empty when unregistered. */
    String query() {
        return "SELECT p.partition_schemaname || '.' || p.partition_tablename AS child,\n"
                + "       i.child_start_time::text AS from_bound, i.child_end_time::text AS to_bound,\n"
                + "       CASE WHEN c.reltuples < 0 THEN 'unknown' ELSE c.reltuples::bigint::text END AS estimated_rows\n"
                + "FROM (SELECT parent_table FROM " + target.partmanObject("part_config") + " WHERE parent_table = "
                + parent.partmanName() + ") cfg\n"
                + "CROSS JOIN LATERAL " + target.partmanObject("show_partitions") + "(cfg.parent_table) p\n"
                + "CROSS JOIN LATERAL " + target.partmanObject("show_partition_info")
                + "(p.partition_schemaname || '.' || p.partition_tablename, NULL, cfg.parent_table) i\n"
                + "JOIN pg_catalog.pg_class c ON c.oid = format('%I.%I', p.partition_schemaname, p.partition_tablename)::regclass\n"
                + "WHERE i.child_end_time < now() - " + SqlText.literal(retention) + "::interval\n"
                + "ORDER BY i.child_start_time";
    }

    /**
     * PL/pgSQL, run after the new retention is in place: says in a NOTICE what maintenance will do,
     * and stops the changeset when that is more than {@code maxPartitionsDropped} partitions.
     */
    String noticeAndLimit(Integer maxPartitionsDropped) {
        String limit = maxPartitionsDropped == null ? ""
                : "  IF v_count > " + maxPartitionsDropped + " THEN\n"
                + "    RAISE EXCEPTION 'liquibase-partman: retention % would make the next maintenance % % partitions of %, "
                + "more than maxPartitionsDropped (" + maxPartitionsDropped + "): %', " + SqlText.literal(retention)
                + ", v_action, v_count, " + parent.partmanName() + ", v_children\n"
                + "      USING HINT = 'If these partitions may go, raise maxPartitionsDropped; otherwise choose a longer retention.';\n"
                + "  END IF;\n";
        return "DECLARE\n"
                + "  v_count bigint;\n"
                + "  v_children text;\n"
                + "  v_action text;\n"
                + "BEGIN\n"
                + "  SELECT count(*), string_agg(format('%s [%s, %s) ~%s rows', child, from_bound, to_bound, estimated_rows), '; ')\n"
                + "    INTO v_count, v_children FROM (\n" + query() + "\n) preview;\n"
                + "  SELECT CASE WHEN retention_schema IS NOT NULL THEN 'move to schema ' || retention_schema\n"
                + "              WHEN retention_keep_table THEN 'detach' ELSE 'drop' END\n"
                + "    INTO v_action FROM " + target.partmanObject("part_config") + " WHERE parent_table = " + parent.partmanName() + ";\n"
                + "  IF v_count > 0 THEN\n"
                + "    RAISE NOTICE 'liquibase-partman: with retention %, the next maintenance will % % partition(s) of %: %', "
                + SqlText.literal(retention) + ", v_action, v_count, " + parent.partmanName() + ", v_children;\n"
                + "  END IF;\n"
                + limit
                + "END;\n";
    }

    /**
     * SQL comment lines for updateSQL: the partitions affected as the database stands now, or
     * why that cannot be known (offline, or pg_partman not installed yet).
     */
    String comment(Database database) {
        if (!"detected".equals(target.origin()) || !(database.getConnection() instanceof JdbcConnection jdbc)
                || database.getConnection() instanceof OfflineConnection) {
            return "-- retention " + retention + ": the partitions it removes are listed when run against the database\n";
        }
        List<String> children = new ArrayList<>();
        try (Statement statement = jdbc.getUnderlyingConnection().createStatement();
             ResultSet rows = statement.executeQuery(query())) {
            while (rows.next()) {
                children.add(commentText("--   " + rows.getString("child") + " [" + rows.getString("from_bound") + ", "
                        + rows.getString("to_bound") + ") ~" + rows.getString("estimated_rows") + " rows") + "\n");
            }
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("could not list the partitions retention " + retention + " removes: "
                    + e.getMessage(), e);
        }
        if (children.isEmpty()) {
            return commentText("-- retention " + retention + ": no existing partition of " + parent.schema() + "." + parent.table()
                    + " is older than that") + "\n";
        }
        return commentText("-- retention " + retention + ": the next maintenance drops or detaches " + children.size()
                + " partition(s) of " + parent.schema() + "." + parent.table() + ":") + "\n" + String.join("", children);
    }

    /** A name from the catalog may hold a line break, which would end the comment and start SQL. */
    private static String commentText(String line) {
        return line.replaceAll("\\p{Cntrl}", "?");
    }
}
