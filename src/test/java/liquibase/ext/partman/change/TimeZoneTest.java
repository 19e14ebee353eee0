package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * A daily timestamptz table registered from a JVM in Asia/Tokyo, then maintained from a UTC
 * session as pg_cron would: the partitions must follow each other with no hole, or the rows of the
 * missing day would pile up in the DEFAULT.
 */
class TimeZoneTest extends OwnSchemaTest {

    private static final String SCHEMA = "time_zone";

    TimeZoneTest() {
        super(SCHEMA);
    }

    @Test
    void boundariesDoNotDependOnTheJvmTimeZone() throws Exception {
        String changeSets = """
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE readings (at timestamptz NOT NULL, value int) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="readings" controlColumn="at" interval="1 day" premake="2"/>
                  </changeSet>
                  <changeSet id="infinite" author="test">
                    <partman:setPartmanConfig tableName="readings" infiniteTimePartitions="true"/>
                  </changeSet>
                """;
        TimeZone jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
        try {
            run(changeSets).update();
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        try (Connection utc = TestDatabase.connect()) {
            SqlRows.execute(utc, "SET TimeZone = 'UTC'",
                    "UPDATE partman.part_config SET premake = 6 WHERE parent_table = 'time_zone.readings'",
                    "SELECT partman.run_maintenance('time_zone.readings')");
            List<String> holes = SqlRows.strings(utc, """
                    WITH bounds AS (
                      SELECT m[1]::timestamptz AS lower_bound, m[2]::timestamptz AS upper_bound
                      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
                           regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') m
                      WHERE i.inhparent = 'time_zone.readings'::regclass AND m IS NOT NULL)
                    SELECT upper_bound || ' .. ' || next_lower FROM (
                      SELECT upper_bound, lead(lower_bound) OVER (ORDER BY lower_bound) AS next_lower FROM bounds) b
                    WHERE next_lower IS NOT NULL AND next_lower <> upper_bound
                    """);
            assertEquals(List.of(), holes, "gaps between partitions");
            assertTrue(SqlRows.count(utc, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'time_zone.readings'::regclass") >= 10);
            assertEquals("00:00:00", SqlRows.value(utc, """
                    SELECT DISTINCT (m[1]::timestamptz AT TIME ZONE 'UTC')::time::text
                    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
                         regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)') m
                    WHERE i.inhparent = 'time_zone.readings'::regclass AND m IS NOT NULL
                    """), "days start at midnight in the server's zone (UTC), not Tokyo's");
        }
    }
}
