package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The guide's partition-lifecycle-test.sh on the pack's tables: partitions are made ahead of now
 * per premake, rows land in their own partitions, and maintenance drops the partitions older than
 * the retention. Every date is computed from the database's now(), so the test means the same on
 * any day: the pack starts six years back, and each table gets one row per period up to the
 * current one, as statistics tables do.
 */
class PartitionLifecycleTest {

    private static final String SCHEMA = "pack_lifecycle";

    /** Table, control column, partition unit (date_trunc), premake, retention: the pack's defaults. */
    private record Policy(String table, String column, String unit, int premake, String retention) {

        String qualified() {
            return SCHEMA + "." + table;
        }

        String step() {
            return "interval '1 " + unit + "'";
        }
    }

    private static final Policy[] POLICIES = {
        new Policy("statistics_daily_users", "stat_date", "month", 3, "6 months"),
        new Policy("statistics_monthly_users", "stat_month", "year", 2, "3 years"),
        new Policy("statistics_yearly_users", "stat_year", "year", 2, "5 years"),
    };

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void premakeAheadOfNowAndRetentionDropsOldPartitions() throws Exception {
        String start;
        try (Connection connection = TestDatabase.connect()) {
            start = (String) SqlRows.value(connection, "SELECT to_char(date_trunc('year', now()) - interval '6 years', 'YYYY-MM-DD')");
        }
        new PackChangeLog(SCHEMA).with("partman.pack.startPartition", start).run().update();

        try (Connection connection = TestDatabase.connect()) {
            for (Policy policy : POLICIES) {
                assertPartitionsAhead(connection, policy);
                fillOneRowPerPeriod(connection, policy, start);
                assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM " + policy.qualified() + "_default"), policy.table());
                assertEquals(Boolean.TRUE, SqlRows.value(connection, "SELECT count(*) = count(DISTINCT tableoid) FROM "
                        + policy.qualified()), policy.table() + ": each row in a partition of its own");
            }

            for (Policy policy : POLICIES) {
                long kept = SqlRows.count(connection, "SELECT count(*) FROM " + policy.qualified() + " WHERE " + policy.column()
                        + " >= date_trunc('" + policy.unit() + "', now() - interval '" + policy.retention() + "')");
                SqlRows.execute(connection, "SELECT partman.run_maintenance('" + policy.qualified() + "')");

                String oldestStart = "SELECT min(lower_bound) FROM (" + boundsOf(policy) + ") b";
                assertTrue(SqlRows.exists(connection, "SELECT 1 FROM (" + oldestStart + ") o(s) WHERE s <= now() - interval '"
                        + policy.retention() + "' AND s + " + policy.step() + " > now() - interval '" + policy.retention() + "'"),
                        policy.table() + ": the oldest partition left is the one holding now() - retention");
                assertEquals(kept, SqlRows.count(connection, "SELECT count(*) FROM " + policy.qualified()),
                        policy.table() + ": rows of the dropped partitions went with them, all others are there");
                assertPartitionsAhead(connection, policy);
            }
        }
    }

    /** The partition of each period from the current one to premake periods ahead. */
    private static void assertPartitionsAhead(Connection connection, Policy policy) throws Exception {
        assertEquals(policy.premake() + 1, SqlRows.count(connection, "SELECT count(*) FROM (" + boundsOf(policy) + ") b "
                + "WHERE lower_bound IN (SELECT date_trunc('" + policy.unit() + "', now()) + k * " + policy.step()
                + " FROM generate_series(0, " + policy.premake() + ") AS k)"), policy.table() + ": partitions ahead of now");
    }

    private static void fillOneRowPerPeriod(Connection connection, Policy policy, String start) throws Exception {
        SqlRows.execute(connection, "INSERT INTO " + policy.qualified() + " (tenant_id, " + policy.column() + ", user_id) "
                + "SELECT gen_random_uuid(), (period + interval '14 days')::date, gen_random_uuid() "
                + "FROM generate_series('" + start + "'::timestamptz, date_trunc('" + policy.unit() + "', now()), "
                + policy.step() + ") AS period");
    }

    /** Lower and upper bound of each partition of the table, DEFAULT left out. */
    private static String boundsOf(Policy policy) {
        return "SELECT substring(bound FROM 'FROM \\(''([^'']*)''')::timestamptz AS lower_bound, "
                + "substring(bound FROM 'TO \\(''([^'']*)''')::timestamptz AS upper_bound "
                + "FROM (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + policy.qualified() + "'::regclass) p "
                + "WHERE bound <> 'DEFAULT'";
    }
}
