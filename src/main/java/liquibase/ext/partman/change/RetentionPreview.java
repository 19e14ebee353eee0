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
import liquibase.ext.partman.sql.SqlTemplate;
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

    /**
     * One row per affected child: child, from_bound, to_bound, estimated_rows. Empty when unregistered,
     * or when only a registration is left of a dropped table (show_partitions would fail on it).
     */
    String query() {
        return SqlTemplate.of("setRetention/preview-query").sql("PART_CONFIG", target.partmanObject("part_config"))
                .sql("PARENT", parent.partmanName()).sql("PARENT_REGCLASS", parent.regclassText()).sql("SHOW_PARTITIONS", target.partmanObject("show_partitions"))
                .sql("SHOW_PARTITION_INFO", target.partmanObject("show_partition_info")).literal("RETENTION", retention).render();
    }

    /**
     * PL/pgSQL, run after the new retention is in place: says in a NOTICE what maintenance will do,
     * and stops the changeset when that is more than {@code maxPartitionsDropped} partitions.
     */
    String noticeAndLimit(Integer maxPartitionsDropped) {
        String limit = maxPartitionsDropped == null ? "" : SqlTemplate.of("setRetention/limit")
                .number("MAX_PARTITIONS_DROPPED", maxPartitionsDropped).literal("RETENTION", retention)
                .sql("PARENT", parent.partmanName()).render();
        return SqlTemplate.of("setRetention/notice-and-limit").sql("PREVIEW_QUERY", query())
                .sql("PART_CONFIG", target.partmanObject("part_config")).sql("PARENT", parent.partmanName())
                .literal("RETENTION", retention).sql("LIMIT", limit).renderLines();
    }

    /**
     * SQL comment lines for updateSQL: the partitions affected as the database stands now, whatever
     * pg_cron's state there, or why that cannot be known (offline).
     */
    String comment(Database database) {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || database.getConnection() instanceof OfflineConnection) {
            return "-- retention " + retention + ": the partitions it removes are listed when run against the database\n";
        }
        List<String> children = new ArrayList<>();
        try (Statement statement = jdbc.getUnderlyingConnection().createStatement()) {
            if (partmanInstalled(statement)) {
                try (ResultSet rows = statement.executeQuery(query())) {
                    while (rows.next()) {
                        children.add(commentText("--   " + rows.getString("child") + " [" + rows.getString("from_bound") + ", "
                                + rows.getString("to_bound") + ") ~" + rows.getString("estimated_rows") + " rows") + "\n");
                    }
                }
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

    /** Before pg_partman is installed (the same updateSQL script installs it) no table is registered with it yet. */
    private boolean partmanInstalled(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT to_regclass(" + SqlText.literal(target.partmanObject("part_config")) + ") IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    /** A name from the catalog may hold a line break, which would end the comment and start SQL. */
    private static String commentText(String line) {
        return line.replaceAll("\\p{Cntrl}", "?");
    }
}
