package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * runPartmanMaintenance creates the partitions a raised premake asks for: with run_maintenance
 * inside a transaction, with run_maintenance_proc when the changeset runs outside one. The
 * every-table forms run in a database of their own, so they never maintain other tests' tables.
 */
class RunPartmanMaintenanceTest {

    private static final String SCHEMA = "run_maintenance";
    private static final String PARENT = SCHEMA + ".events";

    /** A daily table registered with premake 1, one row today, then premake raised to 5. */
    static String tableWithRaisedPremake(String schema) {
        return """
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE %1$s.events (at timestamptz NOT NULL, v int) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent schemaName="%1$s" tableName="events" controlColumn="at" interval="1 day" premake="1"/>
                  </changeSet>
                  <changeSet id="data" author="test">
                    <sql>INSERT INTO %1$s.events VALUES (now(), 1)</sql>
                  </changeSet>
                  <changeSet id="premake" author="test">
                    <partman:setPartmanConfig schemaName="%1$s" tableName="events" premake="5"/>
                  </changeSet>
                """.formatted(schema);
    }

    /** Whether the newest partition reaches the given number of days past now (names differ by major; bounds do not). */
    static boolean partitionsReachDaysAhead(Connection connection, String parent, int days) throws SQLException {
        return (Boolean) SqlRows.value(connection, "SELECT (partman.show_partition_info(partition_schemaname || '.' "
                + "|| partition_tablename)).child_end_time >= now() + interval '" + days + " days' "
                + "FROM partman.show_partitions('" + parent + "', 'DESC') LIMIT 1");
    }

    @Test
    void oneTableInTheChangesetsTransaction() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
        LiquibaseRun.of("changelog.xml", xmlChangeLog(tableWithRaisedPremake(SCHEMA)), TestDatabase.url(), SCHEMA).update();
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(partitionsReachDaysAhead(connection, PARENT, 5), "a raised premake waits for maintenance");
        }
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", xmlChangeLog(tableWithRaisedPremake(SCHEMA) + """
                  <changeSet id="maintain" author="test">
                    <partman:runPartmanMaintenance tableName="events" analyze="false"/>
                  </changeSet>
                """), TestDatabase.url(), SCHEMA);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertTrue(partitionsReachDaysAhead(connection, PARENT, 5));
        }
        run.rollbackCount(1);
        try (Connection connection = TestDatabase.connect()) {
            assertTrue(partitionsReachDaysAhead(connection, PARENT, 5), "the empty rollback leaves the partitions");
        }
    }

    @Test
    void everyTableInATransactionAndWithTheProcedureOutsideOne() throws Exception {
        String appUrl = TestDatabase.urlOfDatabase(CronJobChangeTest.APP_DATABASE);
        try (Connection app = DriverManager.getConnection(appUrl)) {
            SqlRows.execute(app, "CREATE SCHEMA IF NOT EXISTS partman",
                    "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman",
                    "DELETE FROM partman.part_config WHERE parent_table LIKE '" + SCHEMA + "%'",
                    "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA,
                    "DROP SCHEMA IF EXISTS run_maintenance_proc CASCADE", "CREATE SCHEMA run_maintenance_proc");
        }
        LiquibaseRun.of("changelog.xml", xmlChangeLog(tableWithRaisedPremake(SCHEMA) + """
                  <changeSet id="maintain" author="test">
                    <partman:runPartmanMaintenance/>
                  </changeSet>
                """), appUrl, SCHEMA).update();

        String procedureSchema = "run_maintenance_proc";
        try (Connection app = DriverManager.getConnection(appUrl)) {
            assertTrue(partitionsReachDaysAhead(app, PARENT, 5), "run_maintenance() inside the changeset's transaction");
        }
        LiquibaseRun.of("changelog.xml", xmlChangeLog(tableWithRaisedPremake(procedureSchema) + """
                  <changeSet id="maintain" author="test" runInTransaction="false">
                    <partman:runPartmanMaintenance/>
                  </changeSet>
                """), appUrl, procedureSchema).update();
        try (Connection app = DriverManager.getConnection(appUrl)) {
            assertTrue(partitionsReachDaysAhead(app, procedureSchema + ".events", 5), "CALL run_maintenance_proc()");
            assertFalse(SqlRows.exists(app, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"),
                    "the procedure released its session lock");
        }
    }
}
