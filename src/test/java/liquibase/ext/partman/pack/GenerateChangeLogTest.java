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
    private static final String OTHER_JOBS = "PgCronJob:(?!" + JOB + "$).*";

    @BeforeEach
    void reset() throws Exception {
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
