package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import liquibase.ext.partman.support.ExternalProcess;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * examples/consumer and examples/consumer-searchpath as an outside user runs them: the extension, as
 * built by this very build ({@code package} phase), installed into the local Maven repository, is a
 * dependency of the real liquibase-maven-plugin; the project's own master changelog includes the pack
 * from the jar (consumer-searchpath through the search path's {@code classpath:} entry). Runs
 * {@code update}, {@code rollback} to the project's tag, and {@code update} again, each as a separate
 * Maven process against the test database. Run by failsafe, after {@code package}.
 */
class ConsumerProjectIT {

    @BeforeAll
    static void installTheBuiltExtension() throws Exception {
        ExternalProcess.installBuiltExtension();
    }

    @ParameterizedTest(name = "examples/{0}")
    @CsvSource({"consumer, consumer_app", "consumer-searchpath, searchpath_app"})
    void updateRollbackUpdateThroughTheMavenPlugin(String project, String schema) throws Exception {
        PackChangeLog.reset(schema);

        maven(project, schema, "update", "liquibase:update");
        assertPackApplied(schema);
        assertGeneratedChangeLogThroughThePlugin(project, schema);

        maven(project, schema, "rollback", "liquibase:rollback", "-Dliquibase.rollbackTag=before-statistics");
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + schema + "'::regnamespace "
                    + "AND relname IN ('statistics_daily_users', 'partman_health', 'daily_active_users')"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE '" + schema + ".%'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname = '" + PackChangeLog.jobName(schema) + "'"));
        }

        maven(project, schema, "update-again", "liquibase:update");
        assertPackApplied(schema);
    }

    private static void assertPackApplied(String schema) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM partman.part_config WHERE parent_table LIKE '" + schema + ".%'"));
            // The project's own <property> overrides the pack's default (6 months).
            assertEquals("1 year", SqlRows.value(connection, "SELECT retention::interval::text FROM partman.part_config "
                    + "WHERE parent_table = '" + schema + ".statistics_daily_users'"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM cron.job WHERE jobname = '" + PackChangeLog.jobName(schema) + "'"));
            assertEquals(3, SqlRows.count(connection, "SELECT count(*) FROM " + schema + ".partman_health "
                    + "WHERE parent_table LIKE '" + schema + ".%' AND healthy"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_views WHERE schemaname = '" + schema + "' "
                    + "AND viewname = 'daily_active_users'"));
        }
    }

    /**
     * generateChangeLog, the plugin's own goal, on what the pack made: the partitioned tables, the
     * policies and the job come out as changes, no partition as a table (other tests' jobs share the
     * cron database and are left out with the goal's diffExcludeObjects).
     */
    private static void assertGeneratedChangeLogThroughThePlugin(String project, String schema) throws Exception {
        Path generated = Files.createTempDirectory("consumer-generate").resolve("generated.xml");
        String job = PackChangeLog.jobName(schema);
        maven(project, schema, "generate-changelog", "liquibase:generateChangeLog", "-Dliquibase.outputChangeLogFile=" + generated,
                "-Dliquibase.diffExcludeObjects=PgCronJob:(?!" + job + "$).*");
        String changeLog = Files.readString(generated);
        assertTrue(changeLog.contains("<createTable partman:partitionBy=\"RANGE (stat_date)\" "), changeLog);
        assertEquals(3, changeLog.split("<partman:createPartmanParent ", -1).length - 1, changeLog);
        assertTrue(changeLog.contains("jobName=\"" + job + "\""), changeLog);
        assertFalse(changeLog.contains("tableName=\"statistics_daily_users_"), "no partition or DEFAULT as a table:\n" + changeLog);
    }

    /** The project's goal, against this test's schema and an inactive job of its own. */
    private static void maven(String project, String schema, String step, String... goalAndArguments) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--file", "examples/" + project + "/pom.xml",
                "-Ddb.url=" + TestDatabase.url(), "-Ddb.schema=" + schema,
                "-Dliquibase-partman.version=" + ExternalProcess.extensionVersion(),
                "-Dpartman.pack.maintenance.jobName=" + PackChangeLog.jobName(schema),
                "-Dpartman.pack.maintenance.active=false"));
        arguments.addAll(List.of(goalAndArguments));
        ExternalProcess.maven(project + "-" + step, arguments.toArray(String[]::new));
    }
}
