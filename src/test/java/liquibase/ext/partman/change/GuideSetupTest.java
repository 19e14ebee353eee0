package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The operations guide's set-up of statistics_daily_users (a table partitioned by month on stat_date,
 * registered with premake 3 and a retention of 6 months, old partitions dropped), through the change types.
 */
class GuideSetupTest extends OwnSchemaTest {

    private static final String SCHEMA = "guide_setup";

    static final String CHANGE_SETS = """
              <changeSet id="table" author="test">
                <sql>
                  CREATE TABLE statistics_daily_users (
                      tenant_id UUID NOT NULL,
                      stat_date DATE NOT NULL,
                      user_id UUID NOT NULL,
                      last_used_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                      created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                      PRIMARY KEY (tenant_id, stat_date, user_id)
                  ) PARTITION BY RANGE (stat_date);
                </sql>
                <rollback>DROP TABLE statistics_daily_users</rollback>
              </changeSet>
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="statistics_daily_users" controlColumn="stat_date"
                    interval="1 month" premake="3" startPartition="2024-01-01"/>
              </changeSet>
              <changeSet id="retention" author="test">
                <partman:setRetention tableName="statistics_daily_users" retention="6 months"
                    retentionKeepTable="false" retentionKeepIndex="false"/>
              </changeSet>
              <changeSet id="infinite" author="test">
                <partman:setPartmanConfig tableName="statistics_daily_users" infiniteTimePartitions="true"/>
              </changeSet>
            """;

    GuideSetupTest() {
        super(SCHEMA);
    }

    @Test
    void reproducesTheGuideSettings() throws Exception {
        LiquibaseRun run = run(CHANGE_SETS);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            Map<String, Object> config = SqlRows.query(connection, "SELECT control, partition_interval::interval = '1 month' AS monthly, "
                    + "premake, retention, retention_keep_table, retention_keep_index, infinite_time_partitions "
                    + "FROM partman.part_config WHERE parent_table = 'guide_setup.statistics_daily_users'").get(0);
            assertEquals("stat_date", config.get("control"));
            assertEquals(true, config.get("monthly"));
            assertEquals(3, config.get("premake"));
            assertEquals("6 mons", SqlRows.value(connection, "SELECT retention::interval::text FROM partman.part_config "
                    + "WHERE parent_table = 'guide_setup.statistics_daily_users'"));
            assertEquals(false, config.get("retention_keep_table"));
            assertEquals(false, config.get("retention_keep_index"));
            assertEquals(true, config.get("infinite_time_partitions"));
            // Children from January 2024 up to now + premake, and the DEFAULT.
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'guide_setup.statistics_daily_users'::regclass "
                    + "AND pg_get_expr(c.relpartbound, c.oid) LIKE '%(''2024-01-01'')%'"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'guide_setup.statistics_daily_users'::regclass "
                    + "AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'guide_setup.statistics_daily_users'::regclass "
                    + "AND pg_get_expr(c.relpartbound, c.oid) LIKE '%TO (''' || to_char(date_trunc('month', now()) "
                    + "+ interval '4 months', 'YYYY-MM-DD') || ''')'"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = 'statistics_daily_users'"));
        }
    }
}
