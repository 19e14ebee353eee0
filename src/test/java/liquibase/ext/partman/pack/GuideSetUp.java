package liquibase.ext.partman.pack;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The operations guide's set-up as a team ran it by hand before the pack existed
 * (src/test/resources/pack/guide-setup.sql), in a test's schema, with the test's own job.
 */
final class GuideSetUp {

    private GuideSetUp() {
    }

    /**
     * @param schedule the job's schedule: the guide runs maintenance every hour over every table in
     *                 the database, and the test cluster is shared, so tests give one that does not
     *                 come round; adoption does not depend on the schedule's text
     */
    static void run(Connection connection, String schema, String schedule) throws Exception {
        String sql;
        try (InputStream in = GuideSetUp.class.getResourceAsStream("/pack/guide-setup.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        sql = sql.replace("'public.", "'" + schema + ".")
                .replace("'partman-maintenance'", "'" + PackChangeLog.jobName(schema) + "'")
                .replace("'0 * * * *'", "'" + schedule + "'");
        if (!TestDatabase.partmanVersion().atLeast(5, 0)) {
            // The guide is written for pg_partman 5; 4.x calls the same partitioning 'native'.
            sql = sql.replace("p_type => 'range'", "p_type => 'native'");
        }
        SqlRows.execute(connection, "SET search_path TO " + schema, sql, "RESET search_path");
    }

    /** Ten rows in each of the three tables, spread over the last 200 days. */
    static void insertRows(Connection connection, String schema) throws Exception {
        for (String table : PackChangeLog.TABLES) {
            String column = SqlRows.strings(connection, "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = '"
                    + schema + "." + table + "'::regclass AND a.attnum = 2").get(0);
            SqlRows.execute(connection, "INSERT INTO " + schema + "." + table + " (tenant_id, " + column + ", user_id) "
                    + "SELECT gen_random_uuid(), current_date - n * 20, gen_random_uuid() FROM generate_series(0, 9) AS n");
        }
    }
}
