package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable over more daily ranges than one transaction of a default server may lock (64 locks per
 * connection, 100 connections, shared): the partitions are made, renamed and, in the rollback, dropped a few per
 * transaction. Nothing is lost either way; far more partitions than the lock table holds are refused up front.
 */
@Tag("slow")
class PartitionExistingTableManyPartitionsTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_many";
    private static final String EVENTS = SCHEMA + ".events";
    // More than the 1,000 partitions the change was once limited to; each costs the test a few tens of milliseconds.
    private static final int DAYS = 1100;

    PartitionExistingTableManyPartitionsTest() {
        super(SCHEMA);
    }

    private static String plainTable(String rows) {
        return """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE events (id bigint NOT NULL, created date NOT NULL, payload text, PRIMARY KEY (id, created))</sql>
                    <sql>CREATE INDEX events_payload ON events (payload)</sql>
                    <sql>%s</sql>
                  </changeSet>
                """.formatted(rows);
    }

    private static final String CONVERT = """
              <changeSet id="convert" author="test" runInTransaction="false">
                <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 day" premake="2" batchSize="5000"/>
              </changeSet>
            """;

    @Test
    void elevenHundredDailyRangesConvertAndRollBackWithEveryRow() throws Exception {
        String rows = "INSERT INTO events SELECT g, current_date - " + DAYS + " + g % " + DAYS + ", 'row ' || g FROM generate_series(1, "
                + 10 * DAYS + ") g";
        try (Connection connection = TestDatabase.connect()) {
            run(plainTable(rows)).update();
            String before = SqlRows.fingerprint(connection, EVENTS);

            run(plainTable(rows) + CONVERT).update();

            assertEquals(before, SqlRows.fingerprint(connection, EVENTS));
            assertEquals((long) DAYS + 3, SqlRows.count(connection, "SELECT count(*) FROM partman.show_partitions('" + EVENTS + "')"),
                    "a partition a day from the oldest row to premake ahead");
            assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + EVENTS + "_default"));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + SCHEMA + "'::regnamespace "
                    + "AND relname LIKE '%partman_new%'"), "no name of the run's table is left");
            SqlRows.execute(connection, "UPDATE " + EVENTS + " SET payload = 'changed' WHERE id % 7 = 0",
                    "DELETE FROM " + EVENTS + " WHERE id % 11 = 0");
            String after = SqlRows.fingerprint(connection, EVENTS);

            run(plainTable(rows) + CONVERT).rollbackCount(1);

            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
            assertEquals(after, SqlRows.fingerprint(connection, EVENTS));
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + SCHEMA + "'::regnamespace "
                    + "AND relname LIKE 'events_%' AND relkind IN ('r', 'p')"), "the partitioned table and its partitions are dropped");
        }
    }

    @Test
    void morePartitionsThanTheLockTableHoldsAreRefusedBeforeAnythingIsMade() throws Exception {
        String rows = "INSERT INTO events VALUES (1, '2000-01-01', 'old'), (2, current_date, 'new')";
        try (Connection connection = TestDatabase.connect()) {
            run(plainTable(rows)).update();
            Exception refused = assertThrows(Exception.class, () -> run(plainTable(rows) + CONVERT).update());
            assertTrue(refused.getMessage().contains("its rollback would lock two objects for each in one transaction"), refused.getMessage());
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE relnamespace = '" + SCHEMA + "'::regnamespace "
                    + "AND relname LIKE '%partman%'"), "nothing is made");
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table LIKE '" + SCHEMA + ".%'"));
        }
    }
}
