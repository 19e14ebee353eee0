package liquibase.ext.partman.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import liquibase.ext.partman.version.ExtensionVersion;

/**
 * The real PostgreSQL every database test runs against, with pg_partman and pg_cron loaded.
 * <ol>
 *   <li>{@code PARTMAN_TEST_JDBC_URL} (set by {@code scripts/test} and {@code scripts/testdb exec ...}): that cluster;</li>
 *   <li>otherwise, when a Docker engine answers: a Testcontainers container built from the
 *       repository's Dockerfile (PostgreSQL 17, pg_partman 5.x);</li>
 *   <li>otherwise the test fails and says how to get a database. Nothing is skipped.</li>
 * </ol>
 * The database is the one named by {@code cron.database_name}: tests must never drop it, since
 * pg_cron's scheduler stops for good when its database goes away.
 */
public final class TestDatabase {

    public static final String URL_VARIABLE = "PARTMAN_TEST_JDBC_URL";
    private static final String DATABASE_NAME = "partman_test";

    private static String url;
    private static PostgreSQLContainer container;
    private static ExtensionVersion partmanVersion;

    private TestDatabase() {
    }

    /** The JDBC URL of the test database, starting it first when that is our job. */
    public static synchronized String url() {
        if (url == null) {
            url = locate();
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
                statement.execute("CREATE SCHEMA IF NOT EXISTS partman");
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman");
                System.out.println("Test database: " + describe(connection));
            } catch (SQLException e) {
                throw new IllegalStateException("The test database at " + url + " is not usable: " + e.getMessage()
                        + howToGetOne(), e);
            }
        }
        return url;
    }

    /** What the suite runs against, printed once so that each block of results names its versions. */
    private static String describe(Connection connection) throws SQLException {
        String bed = System.getenv("PARTMAN_TEST_BED");
        return SqlRows.value(connection, "SELECT format('PostgreSQL %s, pg_partman %s, pg_cron %s', "
                + "current_setting('server_version'), "
                + "(SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'), "
                + "(SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'))")
                + (bed == null ? "" : " (test bed " + bed + ")");
    }

    public static Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url());
        connection.setAutoCommit(true);
        return connection;
    }

    /**
     * The pg_partman the tests run against: 4.7 from scripts/testdb, 5.x in the Dockerfile's image.
     * A test of behaviour that differs between versions asserts each version's own behaviour by it.
     */
    public static synchronized ExtensionVersion partmanVersion() {
        if (partmanVersion == null) {
            try (Connection connection = connect()) {
                partmanVersion = ExtensionVersion.parse((String) SqlRows.value(connection,
                        "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'"));
            } catch (SQLException e) {
                throw new IllegalStateException("could not read pg_partman's version: " + e.getMessage(), e);
            }
        }
        return partmanVersion;
    }

    /**
     * A registration written by hand, as the guide's SQL does it, in the form the installed
     * pg_partman takes: named arguments (their positions differ between 4.x and 5.x) and p_type
     * 'native' on 4.x, 'range' on 5.x.
     *
     * @param moreArguments further named arguments, e.g. {@code "p_premake := 2"}
     */
    public static String createParentSql(String parentTable, String control, String interval, String... moreArguments) {
        List<String> arguments = new ArrayList<>(List.of("p_parent_table := '" + parentTable + "'",
                "p_control := '" + control + "'",
                "p_type := '" + (partmanVersion().atLeast(5, 0) ? "range" : "native") + "'",
                "p_interval := '" + interval + "'"));
        arguments.addAll(List.of(moreArguments));
        return "SELECT partman.create_parent(" + String.join(", ", arguments) + ")";
    }

    /** The same server, another database (created when missing). Never drop the cron database. */
    public static String urlOfDatabase(String databaseName) throws SQLException {
        String base = url();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            if (!SqlRows.exists(connection, "SELECT 1 FROM pg_database WHERE datname = '" + databaseName + "'")) {
                statement.execute("CREATE DATABASE \"" + databaseName + "\"");
            }
        }
        return base.replaceFirst("/" + DATABASE_NAME + "(?=\\?|$)", "/" + databaseName);
    }

    /**
     * Drops the schema and everything pg_partman and pg_cron know of it, then creates it empty,
     * so that each test class starts from nothing and reruns do not trip over old state.
     */
    public static void resetSchema(String schema) throws SQLException {
        resetSchema(url(), schema);
    }

    /** {@link #resetSchema(String)} in the database at that URL (one of {@link #urlOfDatabase(String)}). */
    public static void resetSchema(String databaseUrl, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM partman.part_config WHERE parent_table LIKE '" + schema + ".%'");
            statement.execute("DELETE FROM partman.part_config_sub WHERE sub_parent LIKE '" + schema + ".%'");
            // A few partitions a transaction first: one DROP SCHEMA of thousands of them would fill the lock table.
            statement.execute("DO $$ DECLARE t regclass; n int := 0; BEGIN FOR t IN SELECT c.oid::regclass FROM pg_class c "
                    + "JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = '" + schema + "' AND c.relispartition "
                    + "AND c.relkind = 'r' LOOP EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', t); n := n + 1; "
                    + "IF n % 20 = 0 THEN COMMIT; END IF; END LOOP; END $$");
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            statement.execute("CREATE SCHEMA \"" + schema + "\"");
            statement.execute("DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables "
                    + "WHERE schemaname = 'partman' AND tablename LIKE 'template\\_" + schema + "\\_%' LOOP "
                    + "EXECUTE format('DROP TABLE partman.%I', t); END LOOP; END $$");
        }
    }

    private static String locate() {
        String given = System.getenv(URL_VARIABLE);
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (dockerAnswers()) {
            return startContainer();
        }
        throw new IllegalStateException("No test database: " + URL_VARIABLE + " is not set and no Docker engine answers."
                + howToGetOne());
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String startContainer() {
        String image = new ImageFromDockerfile("liquibase-partman-test-pg17", false)
                .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                .get();
        List<String> command = new ArrayList<>(List.of("postgres"));
        Map.of("shared_preload_libraries", "pg_stat_statements,pg_cron",
                        "cron.database_name", DATABASE_NAME,
                        "cron.host", "127.0.0.1",
                        "timezone", "UTC",
                        "wal_level", "logical",
                        "fsync", "off")
                .forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        container = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName(DATABASE_NAME)
                .withUsername("postgres")
                .withPassword("postgres");
        container.withCommand(command.toArray(String[]::new));
        container.start();
        return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=postgres&password=postgres";
    }

    private static String howToGetOne() {
        return "\nTo get one, run the tests the way README says:   scripts/test   (every test bed), or"
                + "   scripts/testdb --bed pg17 exec mvn -B verify   (one bed: pg15, pg15-partman51, pg17, pg18;"
                + " they install PostgreSQL with pg_partman and pg_cron from Debian packages and start a throwaway"
                + " cluster), or export " + URL_VARIABLE
                + "=jdbc:postgresql://host:port/db?user=...  for a server with both extensions and"
                + " shared_preload_libraries=pg_cron, or start a Docker engine so Testcontainers can build the Dockerfile.";
    }
}
