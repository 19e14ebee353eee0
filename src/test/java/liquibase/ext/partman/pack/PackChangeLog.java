package liquibase.ext.partman.pack;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * A user's master changelog that sets the pack's parameters and includes the pack from the
 * classpath, as README tells users to. Each test class gets its own schema and its own cron job,
 * since other tests share the cluster and its cron database; the job is inactive unless a test
 * says otherwise, so pg_cron never runs maintenance over other tests' tables.
 */
final class PackChangeLog {

    static final String PACK = "liquibase-partman/changelogs/statistics-pack.xml";
    /** The pack's maintenance job for a cron database that is not the application's (docs/managed-postgresql.md). */
    static final String CRON_JOB = "liquibase-partman/changelogs/statistics-cron.xml";
    static final String[] TABLES = {"statistics_daily_users", "statistics_monthly_users", "statistics_yearly_users"};
    /**
     * Changesets in the pack: 2 extensions, 3 tables, 3 policies, the maintenance job, the maintenance procedure and
     * the job calling it, the health view, its second version, the function it reads pg_partman's configuration
     * through, its version reading that function, and its version showing what the procedure recorded.
     */
    static final int CHANGE_SETS = 17;
    /**
     * The conversions of statistics tables found as plain tables (convert.xml): skipped and not recorded unless
     * partman.pack.convertPlainTables is true and a table is plain, so not among {@link #CHANGE_SETS}.
     */
    static final int CONVERT_CHANGE_SETS = 3;

    private final String schema;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private String ownChangeSets = "";
    private String included = PACK;

    PackChangeLog(String schema) {
        this.schema = schema;
        parameters.put("partman.pack.schema", schema);
        parameters.put("partman.pack.maintenance.jobName", jobName(schema));
        parameters.put("partman.pack.maintenance.active", "false");
    }

    static String jobName(String schema) {
        return schema + "-maintenance";
    }

    PackChangeLog with(String parameter, String value) {
        parameters.put(parameter, value);
        return this;
    }

    /** The user's own changesets, after the include. */
    PackChangeLog followedBy(String changeSets) {
        this.ownChangeSets = changeSets;
        return this;
    }

    /** Includes another changelog in place of the pack (one that includes the pack itself: an example's). */
    PackChangeLog including(String changeLog) {
        this.included = changeLog;
        return this;
    }

    String xml() {
        String properties = parameters.entrySet().stream()
                .map(p -> "  <property name=\"" + p.getKey() + "\" value=\"" + p.getValue() + "\"/>")
                .collect(Collectors.joining("\n"));
        return LiquibaseRun.xmlChangeLog(properties + "\n  <include file=\"" + included + "\"/>\n" + ownChangeSets);
    }

    LiquibaseRun run() {
        return LiquibaseRun.of("master.xml", xml(), TestDatabase.url(), schema);
    }

    /** Empties the schema and removes this schema's cron job with its run history. */
    static void reset(String schema) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            String job = "'" + jobName(schema) + "'";
            SqlRows.execute(connection,
                    "DELETE FROM cron.job_run_details WHERE jobid IN (SELECT jobid FROM cron.job WHERE jobname = " + job + ")",
                    "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = " + job);
        }
        TestDatabase.resetSchema(schema);
    }
}
