package liquibase.ext.partman.version;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseConnection;
import liquibase.database.OfflineConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;

/**
 * Finds the {@link PartmanTarget}: read from {@code pg_extension} when a live connection is
 * there, otherwise assumed from changelog properties (offline {@code updateSQL}/{@code rollbackSQL}).
 *
 * <p>What the server says is read once per connection and kept: a run (one Liquibase command) has
 * one connection, and every change asks in {@code validate} and again in
 * {@code generateStatements}, the precondition too. The answer goes stale only when an extension
 * changes within the run, so it is not kept, or is forgotten, in exactly those cases:
 * <ul>
 * <li>an answer in which pg_partman or pg_cron is missing is never kept: the changelog may install
 *     it in a later changeset (the pack does, in {@code <sql>});</li>
 * <li>{@code upgradePartman} forgets it when it writes its SQL, which runs right after; the next
 *     change asks again ({@link #forget});</li>
 * <li>SQL of the changelog's own that creates, alters or drops an extension forgets it when
 *     Liquibase renders it to run ({@link ExtensionChangeWatcher}).</li>
 * </ul>
 * The server's default time zone is kept with it and forgotten with it.
 */
public final class PartmanTargetResolver {

    public static final String VERSION_PROPERTY = "partman.version";
    public static final String SCHEMA_PROPERTY = "partman.schema";
    public static final String CRON_VERSION_PROPERTY = "partman.cronVersion";
    public static final String TIME_ZONE_PROPERTY = "partman.timeZone";

    /** Newest pg_partman 5.x this extension knows; offline SQL is written for it unless told otherwise. */
    public static final String DEFAULT_PARTMAN_VERSION = "5.5.0";
    public static final String DEFAULT_CRON_VERSION = "1.6.0";
    public static final String DEFAULT_SCHEMA = "partman";
    public static final String FALLBACK_TIME_ZONE = "UTC";

    private static final Pattern TIME_ZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+\\-/]{0,62}");

    /** Per connection: its installed extensions, kept only when both are installed. */
    private static final Map<Connection, Installed> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());
    /** Per connection: the server's default time zone, once it was needed. */
    private static final Map<Connection, String> DEFAULT_TIME_ZONE = Collections.synchronizedMap(new WeakHashMap<>());

    private PartmanTargetResolver() {
    }

    /** Whether a time zone name has a shape PostgreSQL could accept ("UTC", "Asia/Tokyo", "Etc/GMT+9"). */
    public static boolean isTimeZoneName(String name) {
        return name != null && TIME_ZONE.matcher(name).matches();
    }

    /**
     * @param explicitTimeZone the change's own {@code timeZone} attribute, or null
     */
    public static PartmanTarget resolve(Database database, ChangeSet changeSet, String explicitTimeZone) {
        String propertyTimeZone = property(changeSet, TIME_ZONE_PROPERTY);
        String chosenTimeZone = explicitTimeZone != null ? explicitTimeZone : propertyTimeZone;
        if (chosenTimeZone != null && !isTimeZoneName(chosenTimeZone)) {
            throw new UnexpectedLiquibaseException("'" + chosenTimeZone + "' is not a time zone name");
        }
        Connection live = liveConnection(database);
        if (live == null) {
            return new PartmanTarget(assumedPartman(changeSet), assumedSchema(changeSet), assumedCron(changeSet),
                    orDefault(chosenTimeZone, FALLBACK_TIME_ZONE),
                    "offline: assumed from changelog properties " + VERSION_PROPERTY + ", " + SCHEMA_PROPERTY
                            + ", " + CRON_VERSION_PROPERTY);
        }
        try {
            Installed installed = installed(live);
            String timeZone = chosenTimeZone != null ? chosenTimeZone : defaultTimeZone(live);
            boolean partmanThere = installed.partmanVersion() != null;
            boolean cronThere = installed.cronVersion() != null;
            return new PartmanTarget(
                    partmanThere ? ExtensionVersion.parse(installed.partmanVersion()) : assumedPartman(changeSet),
                    partmanThere ? installed.partmanSchema() : assumedSchema(changeSet),
                    cronThere ? ExtensionVersion.parse(installed.cronVersion()) : assumedCron(changeSet),
                    timeZone,
                    origin(partmanThere, cronThere ? null : cronWhereabouts(live)));
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("could not read pg_partman's and pg_cron's versions from pg_extension: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param cronAbsence null when pg_cron is installed in this database, otherwise why it is not
     */
    private static String origin(boolean partmanThere, String cronAbsence) {
        if (partmanThere && cronAbsence == null) {
            return "detected";
        }
        String assumed = !partmanThere && cronAbsence != null ? "pg_partman's and pg_cron's versions"
                : partmanThere ? "pg_cron's version" : "pg_partman's version";
        return "detected; " + (partmanThere ? "" : "pg_partman not installed yet; ")
                + (cronAbsence == null ? "" : cronAbsence + "; ") + assumed + " assumed from changelog properties";
    }

    /**
     * Where pg_cron lives, said truthfully, for a database it is not installed in. pg_settings
     * shows cron.database_name only to roles with pg_read_all_settings.
     */
    private static String cronWhereabouts(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_database(), current_user, "
                     + "(SELECT setting FROM pg_catalog.pg_settings WHERE name = 'cron.database_name'), "
                     + "pg_catalog.pg_has_role('pg_read_all_settings', 'USAGE')")) {
            row.next();
            String here = row.getString(1);
            String cronDatabase = row.getString(3);
            if (cronDatabase != null) {
                return cronDatabase.equals(here) ? "pg_cron not installed yet" : "pg_cron lives in database " + cronDatabase;
            }
            return row.getBoolean(4) ? "pg_cron is not loaded (shared_preload_libraries)"
                    : "pg_cron not installed in this database (role " + row.getString(2)
                            + " may not read cron.database_name, which names the one it lives in)";
        }
    }

    private record Installed(String partmanVersion, String partmanSchema, String cronVersion) {
    }

    /**
     * The schema pg_partman is installed in, as {@link #resolve} reads it, or null when it is not
     * installed or there is no live connection (the snapshot asks this).
     */
    public static String installedPartmanSchema(Database database) {
        Connection live = liveConnection(database);
        if (live == null) {
            return null;
        }
        try {
            return installed(live).partmanSchema();
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("could not read pg_partman's schema from pg_extension: " + e.getMessage(), e);
        }
    }

    /** Forgets what this database's connection said: an extension is about to change. */
    public static void forget(Database database) {
        Connection live = liveConnection(database);
        if (live != null) {
            forget(live);
        }
    }

    /** Whether what this connection said is kept (for tests). */
    static boolean remembers(Connection connection) {
        return INSTALLED.containsKey(connection);
    }

    private static void forget(Connection connection) {
        INSTALLED.remove(connection);
        DEFAULT_TIME_ZONE.remove(connection);
    }

    private static Installed installed(Connection connection) throws SQLException {
        Installed kept = INSTALLED.get(connection);
        if (kept != null) {
            return kept;
        }
        Installed installed = readInstalled(connection);
        if (installed.partmanVersion() != null && installed.cronVersion() != null) {
            INSTALLED.put(connection, installed);
        }
        return installed;
    }

    private static String defaultTimeZone(Connection connection) throws SQLException {
        String kept = DEFAULT_TIME_ZONE.get(connection);
        if (kept == null) {
            kept = serverDefaultTimeZone(connection);
            DEFAULT_TIME_ZONE.put(connection, kept);
        }
        return kept;
    }

    private static Installed readInstalled(Connection connection) throws SQLException {
        String partmanVersion = null;
        String partmanSchema = null;
        String cronVersion = null;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(SqlTemplate.of("version/installed-extensions").render())) {
            while (rows.next()) {
                if ("pg_partman".equals(rows.getString(1))) {
                    partmanVersion = rows.getString(2);
                    partmanSchema = rows.getString(3);
                } else {
                    cronVersion = rows.getString(2);
                }
            }
        }
        return new Installed(partmanVersion, partmanSchema, cronVersion);
    }

    private static ExtensionVersion assumedPartman(ChangeSet changeSet) {
        return ExtensionVersion.parse(orDefault(property(changeSet, VERSION_PROPERTY), DEFAULT_PARTMAN_VERSION));
    }

    private static ExtensionVersion assumedCron(ChangeSet changeSet) {
        return ExtensionVersion.parse(orDefault(property(changeSet, CRON_VERSION_PROPERTY), DEFAULT_CRON_VERSION));
    }

    private static String assumedSchema(ChangeSet changeSet) {
        String schema = orDefault(property(changeSet, SCHEMA_PROPERTY), DEFAULT_SCHEMA);
        if (!SqlText.isPlainIdentifier(schema)) {
            throw new UnexpectedLiquibaseException(SCHEMA_PROPERTY + " '" + schema + "' is not a schema name");
        }
        return schema;
    }

    /**
     * The time zone a session gets when it does not ask for one, which is the zone pg_cron's
     * maintenance runs in. The JDBC driver always sends the JVM's zone, so the session's own
     * setting says nothing; look where the server takes its default from instead, in the order
     * PostgreSQL applies them: role-and-database, role, database settings, then postgresql.conf.
     */
    static String serverDefaultTimeZone(Connection connection) throws SQLException {
        String fromRoleOrDatabase = single(connection, SqlTemplate.of("version/time-zone-of-role-or-database").render());
        if (fromRoleOrDatabase != null) {
            return fromRoleOrDatabase;
        }
        if ("t".equals(single(connection,
                "SELECT has_table_privilege('pg_catalog.pg_file_settings', 'SELECT')"))) {
            String fromFile = single(connection, "SELECT setting FROM pg_catalog.pg_file_settings "
                    + "WHERE lower(name) = 'timezone' AND applied ORDER BY seqno DESC LIMIT 1");
            if (fromFile != null) {
                return fromFile;
            }
            return single(connection, "SELECT boot_val FROM pg_catalog.pg_settings WHERE name = 'TimeZone'");
        }
        RunWarnings.warnOnce(connection, "Cannot read the server's default time zone (pg_file_settings needs a superuser "
                + "or pg_read_all_settings); pg_partman calls run in " + FALLBACK_TIME_ZONE + ". Set the timeZone attribute or the changelog property "
                + TIME_ZONE_PROPERTY + " to the zone pg_cron's maintenance runs in.");
        return FALLBACK_TIME_ZONE;
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static Connection liveConnection(Database database) {
        DatabaseConnection connection = database.getConnection();
        if (connection instanceof JdbcConnection jdbc && !(connection instanceof OfflineConnection)) {
            return jdbc.getUnderlyingConnection();
        }
        return null;
    }

    private static String property(ChangeSet changeSet, String name) {
        Object value = null;
        if (changeSet != null && changeSet.getChangeLogParameters() != null) {
            value = changeSet.getChangeLogParameters().getValue(name, changeSet.getChangeLog());
        }
        if (value == null) {
            value = System.getProperty(name);
        }
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
