package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import liquibase.diff.DiffResult;
import liquibase.ext.partman.support.DiffCommands;
import liquibase.ext.partman.support.DiffCommands.Side;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * generate-changelog on the guide's set-up done by hand, applied to an empty schema of the cron
 * database (pg_cron jobs can only be made there): the same tables, partitioned the same way, the
 * same part_config rows, the same partitions after maintenance, the same job, and a clean diff.
 */
class GenerateChangeLogTest {

    private static final String SOURCE = "gen_source";
    private static final String COPY = "gen_copy";
    /** A schedule that does not come round during the tests (February 29th, 03:00). */
    private static final String SCHEDULE = "0 3 29 2 *";
    private static final String JOB = PackChangeLog.jobName(SOURCE);
    /** The cron database is shared by every test: the jobs of other tests are left out with excludeObjects. */
    private static final String OTHER_JOBS = "PgCronJob:(?!" + SOURCE + "-).*";
    private static final String ELSEWHERE_JOB = SOURCE + "-elsewhere";

    @BeforeEach
    void reset() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = '" + ELSEWHERE_JOB + "'");
        }
        PackChangeLog.reset(SOURCE);
        PackChangeLog.reset(COPY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xml", "yaml"})
    void rebuildsTheGuideSetUpInAnEmptySchema(String format) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            GuideSetUp.run(connection, SOURCE, SCHEDULE);
        }
        DiffCommands commands = new DiffCommands(OTHER_JOBS);
        String changeLog = commands.generateChangeLog(new Side(TestDatabase.url(), SOURCE), "generated." + format);

        assertEquals(3, count(changeLog, "createPartmanParent"), changeLog);
        assertEquals(3, count(changeLog, "setRetention"), changeLog);
        assertEquals(1, count(changeLog, JOB), changeLog);
        assertTrue(changeLog.contains("RANGE (stat_date)"), changeLog);
        assertFalse(changeLog.matches("(?s).*_(p20\\d\\d|default).*"), "no partition or DEFAULT as a table:\n" + changeLog);
        assertFalse(changeLog.contains("template_"), changeLog);

        List<Map<String, Object>> job;
        try (Connection connection = TestDatabase.connect()) {
            job = SqlRows.query(connection, jobRow());
            SqlRows.execute(connection, "SELECT cron.unschedule('" + JOB + "')");
        }
        LiquibaseRun.of("generated." + format, changeLog, TestDatabase.url(), COPY).update();

        try (Connection connection = TestDatabase.connect()) {
            for (String schema : List.of(SOURCE, COPY)) {
                SqlRows.execute(connection, "SELECT partman.run_maintenance(parent_table) FROM partman.part_config "
                        + "WHERE parent_table LIKE '" + schema + ".%'");
            }
            assertEquals(policies(connection, SOURCE), policies(connection, COPY));
            assertEquals(partitions(connection, SOURCE), partitions(connection, COPY));
            assertEquals(partitionKeys(connection, SOURCE), partitionKeys(connection, COPY));
            assertEquals(job, SqlRows.query(connection, jobRow()));
        }
        DiffResult diff = commands.diff(new Side(TestDatabase.url(), SOURCE), new Side(TestDatabase.url(), COPY));
        assertEquals(List.of(), commands.differences(diff), () -> "diff not clean");
    }

    /**
     * A policy with every setting our changes cover away from pg_partman's default, on an id
     * column, and an inactive job that runs in another database: all of it comes back.
     */
    @Test
    void rebuildsEverySettingOurChangesCover() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "CREATE TABLE " + SOURCE + ".readings (id bigint NOT NULL, region text NOT NULL) PARTITION BY RANGE (id)",
                    TestDatabase.createParentSql(SOURCE + ".readings", "id", "1000", "p_premake := 2",
                            "p_start_partition := '3000'", "p_jobmon := false", "p_automatic_maintenance := 'off'",
                            "p_constraint_cols := ARRAY['region']"),
                    "UPDATE partman.part_config SET optimize_constraint = 5, constraint_valid = false, inherit_privileges = true, "
                            + "ignore_default_data = NOT ignore_default_data, retention = '2000', retention_keep_table = false, "
                            + "retention_keep_index = false WHERE parent_table = '" + SOURCE + ".readings'",
                    "SELECT cron.schedule_in_database('" + ELSEWHERE_JOB + "', '" + SCHEDULE + "', 'SELECT 1', 'postgres', NULL, false)");
        }
        DiffCommands commands = new DiffCommands(OTHER_JOBS);
        String changeLog = commands.generateChangeLog(new Side(TestDatabase.url(), SOURCE), "generated.xml");
        assertTrue(changeLog.contains("database=\"postgres\""), changeLog);

        List<Map<String, Object>> job;
        try (Connection connection = TestDatabase.connect()) {
            job = SqlRows.query(connection, elsewhereJobRow());
            SqlRows.execute(connection, "SELECT cron.unschedule('" + ELSEWHERE_JOB + "')");
        }
        LiquibaseRun.of("generated.xml", changeLog, TestDatabase.url(), COPY).update();

        try (Connection connection = TestDatabase.connect()) {
            assertEquals(policies(connection, SOURCE), policies(connection, COPY));
            assertEquals(partitions(connection, SOURCE), partitions(connection, COPY));
            assertEquals(job, SqlRows.query(connection, elsewhereJobRow()));
        }
        assertEquals(List.of(), commands.differences(commands.diff(new Side(TestDatabase.url(), SOURCE),
                new Side(TestDatabase.url(), COPY))), "diff not clean");
    }

    private static String elsewhereJobRow() {
        return "SELECT jobname, schedule, command, database, username, active FROM cron.job WHERE jobname = '" + ELSEWHERE_JOB + "'";
    }

    @Test
    void leavesOutEveryPartitionOfA300PartitionTable() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "CREATE TABLE " + SOURCE + ".events (id bigint NOT NULL, created_on date NOT NULL) PARTITION BY RANGE (created_on)",
                    TestDatabase.createParentSql(SOURCE + ".events", "created_on", "1 day",
                            "p_premake := 5", "p_start_partition := (current_date - 295)::text"));
            assertTrue(SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + SOURCE + ".events'::regclass") >= 300);
        }
        String changeLog = new DiffCommands(OTHER_JOBS).generateChangeLog(new Side(TestDatabase.url(), SOURCE), "generated.xml");

        assertEquals(1, count(changeLog, "<createTable"), changeLog);
        assertEquals(1, count(changeLog, "createPartmanParent"), changeLog);
        assertFalse(changeLog.contains("events_p"), changeLog);
        assertFalse(changeLog.contains("events_default"), changeLog);
    }

    private static String jobRow() {
        return "SELECT jobname, schedule, command, database, username, active FROM cron.job WHERE jobname = '" + JOB + "'";
    }

    /**
     * Each table's part_config row, except its own name and its template's (both name the schema)
     * and, on pg_partman 5, when maintenance last ran.
     */
    private static List<Map<String, Object>> policies(Connection connection, String schema) throws Exception {
        return SqlRows.query(connection, "SELECT split_part(parent_table, '.', 2) AS parent, "
                + "to_jsonb(c) - 'parent_table' - 'template_table' - 'maintenance_last_run' AS config FROM partman.part_config c "
                + "WHERE parent_table LIKE '" + schema + ".%' ORDER BY parent_table");
    }

    private static Object partitions(Connection connection, String schema) throws Exception {
        return SqlRows.value(connection, "SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), ', ' "
                + "ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE c.relnamespace = '" + schema + "'::regnamespace");
    }

    private static Object partitionKeys(Connection connection, String schema) throws Exception {
        return SqlRows.value(connection, "SELECT string_agg(c.relname || ' ' || pg_get_partkeydef(c.oid), ', ' ORDER BY c.relname) "
                + "FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relnamespace = '" + schema + "'::regnamespace");
    }

    private static int count(String text, String word) {
        Matcher matcher = Pattern.compile(Pattern.quote(word)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
