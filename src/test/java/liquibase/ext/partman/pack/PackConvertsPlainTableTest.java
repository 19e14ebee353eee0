package liquibase.ext.partman.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * The pack on a database whose statistics_daily_users exists as a plain table holding rows: by
 * default the update stops at its registration ("not partitioned"), as it always did; told to
 * (partman.pack.convertPlainTables), the next update converts it with partitionExistingTable and
 * goes on, every row kept, the pack's policy on it; the rollback of the conversion gives the plain
 * table back.
 */
class PackConvertsPlainTableTest {

    private static final String SCHEMA = "pack_convert";
    private static final String DAILY = SCHEMA + ".statistics_daily_users";

    @BeforeEach
    void reset() throws Exception {
        PackChangeLog.reset(SCHEMA);
    }

    @Test
    void aPlainDailyTableIsConvertedWhenThePackIsToldTo() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE TABLE " + DAILY + " (tenant_id uuid NOT NULL, stat_date date NOT NULL, user_id uuid NOT NULL, "
                    + "last_used_at timestamp NOT NULL DEFAULT now(), created_at timestamp NOT NULL DEFAULT now(), "
                    + "PRIMARY KEY (tenant_id, stat_date, user_id))",
                    "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) SELECT md5((g % 7)::text)::uuid, current_date - g % 300, "
                            + "md5(g::text)::uuid FROM generate_series(1, 3000) g");
            String before = SqlRows.fingerprint(connection, DAILY);

            Exception stopped = assertThrows(Exception.class, () -> new PackChangeLog(SCHEMA).run().update());
            assertTrue(Failures.messages(stopped).contains("not partitioned"), Failures.messages(stopped));
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + DAILY + "'::regclass"));

            new PackChangeLog(SCHEMA).with("partman.pack.convertPlainTables", "true").run().update();

            assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + DAILY + "'::regclass"));
            assertEquals(before, SqlRows.fingerprint(connection, DAILY));
            assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + DAILY + "_default"));
            assertTrue(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = '" + DAILY
                    + "' AND retention = '6 months' AND infinite_time_partitions AND premake = 3"), "the pack's policy");
            assertEquals(1L, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".databasechangelog WHERE id LIKE '%-convert'"),
                    "only the plain table was converted; the others were made partitioned and their conversion skipped");
            assertEquals((long) PackChangeLog.CHANGE_SETS + 1, SqlRows.count(connection, "SELECT count(*) FROM " + SCHEMA + ".databasechangelog"));

            SqlRows.execute(connection, "INSERT INTO " + DAILY + " (tenant_id, stat_date, user_id) VALUES (md5('a')::uuid, current_date, md5('b')::uuid)");
            String after = SqlRows.fingerprint(connection, DAILY);
            new PackChangeLog(SCHEMA).with("partman.pack.convertPlainTables", "true").run().rollbackCount(PackChangeLog.CHANGE_SETS + 1);
            assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + DAILY + "'::regclass"));
            assertEquals(after, SqlRows.fingerprint(connection, DAILY), "the plain table back, with the row written after the conversion");
        }
    }
}
