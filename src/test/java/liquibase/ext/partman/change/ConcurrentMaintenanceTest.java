package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** Maintenance running while an update changes retention: both finish, the newest policy holds. */
class ConcurrentMaintenanceTest extends OwnSchemaTest {

    private static final String SCHEMA = "concurrent_maintenance";
    private static final String PARENT = "concurrent_maintenance.logs";
    private static final String TABLE = """
              <changeSet id="table" author="test">
                <sql>CREATE TABLE logs (at date NOT NULL, line text) PARTITION BY RANGE (at)</sql>
              </changeSet>
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="logs" controlColumn="at" interval="1 month" premake="2"
                    startPartition="2024-01-01"/>
              </changeSet>
              <changeSet id="data" author="test">
                <sql>INSERT INTO logs SELECT d, 'x' FROM generate_series(DATE '2024-01-01', current_date, interval '1 day') d</sql>
              </changeSet>
            """;

    ConcurrentMaintenanceTest() {
        super(SCHEMA);
    }

    @Test
    void retentionChangedDuringMaintenance() throws Exception {
        run(TABLE).update();
        try (Connection maintenance = TestDatabase.connect(); Connection check = TestDatabase.connect()) {
            SqlRows.execute(check, "UPDATE partman.part_config SET premake = 8 WHERE parent_table = '" + PARENT + "'");
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    maintenance.setAutoCommit(false);
                    SqlRows.execute(maintenance, "SELECT partman.run_maintenance('" + PARENT + "')", "SELECT pg_sleep(3)");
                    maintenance.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            run(TABLE + """
                      <changeSet id="retention" author="test">
                        <partman:setRetention tableName="logs" retention="3 months" retentionKeepTable="false"/>
                      </changeSet>
                    """).update();
            running.get(60, TimeUnit.SECONDS);

            assertEquals("3 months", SqlRows.value(check, "SELECT retention FROM partman.part_config WHERE parent_table = '" + PARENT + "'"));
            assertTrue(SqlRows.exists(check, "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"
                    + PARENT + "'::regclass AND pg_get_expr(c.relpartbound, c.oid) LIKE '%TO (''' || to_char(date_trunc('month', now()) "
                    + "+ interval '9 months', 'YYYY-MM-DD') || ''')'"), "the running maintenance made its partitions");
            SqlRows.execute(check, "SELECT partman.run_maintenance('" + PARENT + "')");
            assertEquals(0, SqlRows.count(check, "SELECT count(*) FROM " + PARENT + " WHERE at < date_trunc('month', now()) - interval '4 months'"),
                    "the next maintenance applies the new retention");
        }
    }
}
