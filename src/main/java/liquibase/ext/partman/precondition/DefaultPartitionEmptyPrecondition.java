package liquibase.ext.partman.precondition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.OfflineConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.exception.ValidationErrors;
import liquibase.exception.Warnings;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.change.AttributeRules;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.ext.partman.version.PartmanTargetResolver;
import liquibase.precondition.AbstractPrecondition;

/**
 * Fails when a DEFAULT partition holds rows, or a range between the oldest and the newest
 * partition has no partition (a hole): of one table, or of every table pg_partman manages.
 * Rows in DEFAULT make pg_partman 4.7's maintenance fail and 5.x's create nothing;
 * maintenance only extends after the newest partition, so a hole is never filled and its rows go
 * to the DEFAULT. This guards maintenance changesets and lets CI alert. The message names each
 * DEFAULT with its row count and the range of its control column, and each hole with its bounds.
 */
public class DefaultPartitionEmptyPrecondition extends AbstractPrecondition {

    private String schemaName;
    private String tableName;

    @Override
    public String getName() {
        return "defaultPartitionEmpty";
    }

    @Override
    public String getSerializedObjectNamespace() {
        return PartmanNamespace.URI;
    }

    @Override
    public Warnings warn(Database database) {
        return new Warnings();
    }

    @Override
    public ValidationErrors validate(Database database) {
        AttributeRules rules = new AttributeRules(getName(), new ValidationErrors());
        if (schemaName != null && tableName == null) {
            rules.error("schemaName", "needs tableName; leave both out to check every table pg_partman manages");
        }
        rules.identifier("schemaName", schemaName);
        rules.identifier("tableName", tableName);
        return rules.errors();
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet changeSet, ChangeExecListener listener)
            throws PreconditionFailedException, PreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || database.getConnection() instanceof OfflineConnection) {
            throw new PreconditionErrorException(new IllegalStateException(getName() + " needs a database connection"), changeLog, this);
        }
        List<String> nonEmpty;
        try {
            PartmanTarget target = PartmanTargetResolver.resolve(database, changeSet, null);
            nonEmpty = nonEmptyDefaults(jdbc.getUnderlyingConnection(), target, parentTable(database));
            nonEmpty.addAll(holes(jdbc.getUnderlyingConnection(), target, parentTable(database)));
        } catch (SQLException | RuntimeException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
        if (!nonEmpty.isEmpty()) {
            throw new PreconditionFailedException("DEFAULT partitions hold rows or partitions are missing: " + String.join("; ", nonEmpty)
                    + ". Move the rows into their partitions and fill the holes with repartitionDefault", changeLog, this);
        }
    }

    /** {@code schema.table} as pg_partman's part_config spells it, or null for every managed table. */
    private String parentTable(Database database) {
        if (tableName == null) {
            return null;
        }
        return ParentTable.of(schemaName, tableName, database).partmanText();
    }

    /** "s.t_default: 4 rows, event_date from 2025-12-14 to 2025-12-16" for each DEFAULT that holds rows. */
    private List<String> nonEmptyDefaults(Connection connection, PartmanTarget target, String parentTable) throws SQLException {
        List<String> found = new ArrayList<>();
        boolean any = false;
        try (PreparedStatement defaults = connection.prepareStatement(SqlTemplate.of("defaultPartitionEmpty/default-partitions")
                .sql("PART_CONFIG", target.partmanObject("part_config")).render())) {
            defaults.setString(1, parentTable);
            defaults.setString(2, parentTable);
            try (ResultSet rows = defaults.executeQuery()) {
                while (rows.next()) {
                    any = true;
                    String rowsInDefault = describe(connection, rows.getString(1), rows.getString(2));
                    if (rowsInDefault != null) {
                        found.add(rowsInDefault);
                    }
                }
            }
        }
        if (!any && parentTable != null && !isManaged(connection, target, parentTable)) {
            throw new IllegalStateException(parentTable + " is not managed by pg_partman");
        }
        return found;
    }

    /**
     * "s.t: no partition for c from X to before Y" for each hole of each range set, in the zone
     * maintenance uses (pg_partman 4.7 reads a child's bounds from its name, in the session's zone).
     */
    private static List<String> holes(Connection connection, PartmanTarget target, String parentTable) throws SQLException {
        List<String> found = new ArrayList<>();
        String savedZone;
        try (PreparedStatement zone = connection.prepareStatement("SELECT current_setting('TimeZone'), set_config('TimeZone', ?, false)")) {
            zone.setString(1, target.timeZone());
            try (ResultSet rows = zone.executeQuery()) {
                rows.next();
                savedZone = rows.getString(1);
            }
        }
        try (PreparedStatement holes = connection.prepareStatement("WITH children AS ("
                + "SELECT c.parent_table, c.control, i.child_start_time AS start_time, i.child_end_time AS end_time, "
                + "i.child_start_id AS start_id, i.child_end_id AS end_id "
                + "FROM " + target.partmanObject("part_config") + " c, "
                + "LATERAL " + target.partmanObject("show_partitions") + "(c.parent_table) s, "
                + "LATERAL " + target.partmanObject("show_partition_info") + "(format('%I.%I', s.partition_schemaname, s.partition_tablename), "
                + "p_parent_table := c.parent_table) i "
                + "WHERE c.partition_type IN ('native', 'range') AND (?::text IS NULL OR c.parent_table = ?)), "
                + "ordered AS (SELECT *, lag(end_time) OVER w AS previous_end_time, lag(end_id) OVER w AS previous_end_id FROM children "
                + "WINDOW w AS (PARTITION BY parent_table ORDER BY start_time, start_id)) "
                + "SELECT parent_table, control, coalesce(previous_end_time::text, previous_end_id::text), coalesce(start_time::text, start_id::text) "
                + "FROM ordered WHERE previous_end_time < start_time OR previous_end_id < start_id ORDER BY parent_table, start_time, start_id")) {
            holes.setString(1, parentTable);
            holes.setString(2, parentTable);
            try (ResultSet rows = holes.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1) + ": no partition for " + rows.getString(2) + " from " + rows.getString(3)
                            + " to before " + rows.getString(4));
                }
            }
        } finally {
            try (PreparedStatement zone = connection.prepareStatement("SELECT set_config('TimeZone', ?, false)")) {
                zone.setString(1, savedZone);
                zone.execute();
            }
        }
        return found;
    }

    /** The rows of one DEFAULT, or null when it has none; its name comes quoted from the catalog. */
    private static String describe(Connection connection, String control, String defaultTable) throws SQLException {
        String column = SqlText.identifier(control);
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*), min(" + column + ")::text, max("
                + column + ")::text FROM ONLY " + defaultTable);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            long count = rows.getLong(1);
            return count == 0 ? null : defaultTable + ": " + count + " row" + (count == 1 ? "" : "s") + ", " + control
                    + " from " + rows.getString(2) + " to " + rows.getString(3);
        }
    }

    private static boolean isManaged(Connection connection, PartmanTarget target, String parentTable) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM " + target.partmanObject("part_config")
                + " WHERE parent_table = ?")) {
            statement.setString(1, parentTable);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    public String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }
}
