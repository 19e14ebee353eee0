package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.Targets;
import liquibase.ext.partman.support.TestDatabase;

/**
 * What PostgreSQL's LIKE does not copy and partitionExistingTable carries itself: the tablespace (the
 * partitioned table's, where its partitions go, and its indexes'), the storage parameters (on every
 * partition, and on the set's template table for the partitions pg_partman makes later) and the replica
 * identity; the partitions' indexes named as PostgreSQL names those of a table under the partition's
 * name. The rollback gives the plain table back as it was.
 */
class PartitionExistingTablePropertiesTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_properties";
    /** Long enough for its partitions' index names to be shortened (and numbered, as several shorten alike). */
    private static final String TABLE = "events_long_enough_name";
    private static final String QUALIFIED = SCHEMA + "." + TABLE;
    private static final String TABLESPACE = "convert_properties_space";
    /** Names as PostgreSQL gives them, for comparison: tables made LIKE each partition under its name. */
    private static final String ORACLE = "convert_properties_names";

    PartitionExistingTablePropertiesTest() {
        super(SCHEMA);
    }

    private static String plainTable(String replicaIdentity) {
        return """
                  <changeSet id="plain" author="test">
                    <sql>CREATE TABLE %1$s (id bigint NOT NULL, created date NOT NULL, payload_with_a_long_column_name text,
                           PRIMARY KEY (id, created) USING INDEX TABLESPACE %2$s)
                           WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, toast.autovacuum_enabled = false) TABLESPACE %2$s</sql>
                    <sql>CREATE INDEX events_payload ON %1$s (payload_with_a_long_column_name, created) WITH (fillfactor = 60)</sql>
                    <sql>CREATE UNIQUE INDEX events_created_id ON %1$s (created, id) TABLESPACE %2$s</sql>
                    <sql>ALTER TABLE %1$s REPLICA IDENTITY %3$s</sql>
                    <sql>INSERT INTO %1$s SELECT g, current_date - (g %% 420), 'row ' || g FROM generate_series(1, 3000) g</sql>
                  </changeSet>
                  <changeSet id="convert" author="test" runInTransaction="false">
                    <partman:partitionExistingTable tableName="%1$s" controlColumn="created" interval="1 month" premake="2"/>
                  </changeSet>
                """.formatted(TABLE, TABLESPACE, replicaIdentity);
    }

    /** The plain table's own properties and its indexes', by index name. */
    private static List<String> plainProperties(Connection connection, String table) throws Exception {
        return SqlRows.strings(connection, "SELECT concat_ws(' ', c.relname, t.spcname, c.reloptions::text, s.reloptions::text, c.relreplident, "
                + "(SELECT string_agg(concat_ws(':', x.relname, xt.spcname, x.reloptions::text, i.indisreplident), ' ' ORDER BY x.relname) "
                + "FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid LEFT JOIN pg_tablespace xt ON xt.oid = x.reltablespace "
                + "WHERE i.indrelid = c.oid)) "
                + "FROM pg_class c LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace LEFT JOIN pg_class s ON s.oid = c.reltoastrelid "
                + "WHERE c.oid = '" + table + "'::regclass");
    }

    /** Each partition: tablespace, storage parameters, TOAST parameters, replica identity (and its index's parent's name). */
    private static List<String> partitionProperties(Connection connection, String condition) throws Exception {
        return SqlRows.strings(connection, "SELECT concat_ws(' ', t.spcname, c.reloptions::text, s.reloptions::text, c.relreplident, "
                + "(SELECT p.relname FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid JOIN pg_class p ON p.oid = h.inhparent "
                + "WHERE i.indrelid = c.oid AND i.indisreplident)) "
                + "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace "
                + "LEFT JOIN pg_class s ON s.oid = c.reltoastrelid WHERE h.inhparent = '" + QUALIFIED + "'::regclass AND " + condition
                + " ORDER BY c.relname");
    }

    private static void makeTablespace(Connection connection) throws Exception {
        if (!SqlRows.exists(connection, "SELECT 1 FROM pg_tablespace WHERE spcname = '" + TABLESPACE + "'")) {
            // Inside the data directory (pg_tblspc), which the server reaches on every bed, chroot or not.
            SqlRows.execute(connection, "SET allow_in_place_tablespaces = on", "CREATE TABLESPACE " + TABLESPACE + " LOCATION ''",
                    "RESET allow_in_place_tablespaces");
        }
    }

    private void dropTablespace(Connection connection) throws Exception {
        cleanSchema();
        SqlRows.execute(connection, "DROP SCHEMA IF EXISTS " + ORACLE + " CASCADE", "DROP TABLESPACE IF EXISTS " + TABLESPACE);
    }

    /** Where pg_partman cannot make partitions of a table whose replica identity is an index, the test keeps the default. */
    private static boolean indexIdentity() {
        return !Targets.ofTestDatabase().childReplicaIdentityIndexFails();
    }

    @Test
    void tablespaceStorageParametersReplicaIdentityAndIndexNamesReachEveryPartition() throws Exception {
        String identity = indexIdentity() ? "USING INDEX events_created_id" : "DEFAULT";
        String partitionIdentity = indexIdentity() ? "i events_created_id" : "d";
        try (Connection connection = TestDatabase.connect()) {
            makeTablespace(connection);
            try {
                run(plainTable(identity).split("  <changeSet id=\"convert\"")[0]).update();
                List<String> plain = plainProperties(connection, QUALIFIED);
                String rows = SqlRows.fingerprint(connection, QUALIFIED);

                run(plainTable(identity)).update();

                assertEquals(rows, SqlRows.fingerprint(connection, QUALIFIED));
                assertEquals(List.of(TABLESPACE + " " + partitionIdentity.charAt(0)), SqlRows.strings(connection, "SELECT concat_ws(' ', t.spcname, c.relreplident) "
                        + "FROM pg_class c LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = '" + QUALIFIED + "'::regclass"));
                assertEquals(List.of("events_created_id " + TABLESPACE + (indexIdentity() ? " t" : " f"), TABLE + "_pkey " + TABLESPACE + " f", "events_payload f"),
                        SqlRows.strings(connection, "SELECT concat_ws(' ', x.relname, t.spcname, i.indisreplident) FROM pg_index i "
                                + "JOIN pg_class x ON x.oid = i.indexrelid LEFT JOIN pg_tablespace t ON t.oid = x.reltablespace "
                                + "WHERE i.indrelid = '" + QUALIFIED + "'::regclass ORDER BY 1"),
                        "the partitioned indexes in their tablespaces, the replica identity's under its name");
                String carried = TABLESPACE + " {fillfactor=70,autovacuum_vacuum_scale_factor=0.02} {autovacuum_enabled=false} " + partitionIdentity;
                List<String> partitions = partitionProperties(connection, "true");
                assertEquals(18, partitions.size(), "14 months back, 2 ahead, the current one and the DEFAULT: " + partitions);
                assertEquals(List.of(carried), partitions.stream().distinct().toList());
                assertPartitionIndexesNamedAsPostgresNamesThem(connection);

                // The partitions maintenance makes later: pg_partman gives them the tablespace, the template table's
                // storage parameters (not its TOAST table's), and the replica identity from 5.1 on (from 5.2.3 an index).
                String converted = (String) SqlRows.value(connection, "SELECT string_agg(inhrelid::text, ', ') FROM pg_inherits "
                        + "WHERE inhparent = '" + QUALIFIED + "'::regclass");
                SqlRows.execute(connection, "UPDATE partman.part_config SET premake = 5 WHERE parent_table = '" + QUALIFIED + "'",
                        "SELECT partman.run_maintenance(p_parent_table := '" + QUALIFIED + "')");
                String later = TABLESPACE + " {fillfactor=70,autovacuum_vacuum_scale_factor=0.02} "
                        + (TestDatabase.partmanVersion().atLeast(5, 1) ? partitionIdentity : "d");
                assertEquals(List.of(later, later, later), partitionProperties(connection, "c.oid NOT IN (" + converted + ")"));

                run(plainTable(identity)).rollbackCount(1);

                assertEquals(plain, plainProperties(connection, QUALIFIED), "the plain table as it was");
                assertEquals(rows, SqlRows.fingerprint(connection, QUALIFIED));
            } finally {
                dropTablespace(connection);
            }
        }
    }

    /**
     * The partitions' index names are those of tables made LIKE them, under their names, in another schema: as a set,
     * since partitions whose index names are shortened alike number them (PostgreSQL numbers them in the order it makes them).
     */
    private static void assertPartitionIndexesNamedAsPostgresNamesThem(Connection connection) throws Exception {
        SqlRows.execute(connection, "DROP SCHEMA IF EXISTS " + ORACLE + " CASCADE", "CREATE SCHEMA " + ORACLE);
        String partitions = "SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = '" + QUALIFIED
                + "'::regclass";
        for (String partition : SqlRows.strings(connection, partitions + " ORDER BY c.oid")) {
            SqlRows.execute(connection, "CREATE TABLE " + ORACLE + "." + partition + " (LIKE " + SCHEMA + "." + partition + " INCLUDING INDEXES)");
        }
        List<String> actual = SqlRows.strings(connection, "SELECT x.relname FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                + "WHERE i.indrelid IN (SELECT h.inhrelid FROM pg_inherits h WHERE h.inhparent = '" + QUALIFIED + "'::regclass) ORDER BY 1");
        assertEquals(54, actual.size());
        assertEquals(SqlRows.strings(connection, "SELECT x.relname FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                + "WHERE x.relnamespace = '" + ORACLE + "'::regnamespace ORDER BY 1"), actual);
        assertFalse(actual.toString().contains("partman_new"), actual.toString());
    }

    /**
     * pg_partman 5.1.0 to 5.2.2 cannot make a partition of a table whose replica identity is an index: the conversion
     * refuses it before it changes anything. Elsewhere the identity is converted (checked in detail above).
     */
    @Test
    void aReplicaIdentityIndexIsRefusedWherePgPartmanCannotGiveItToPartitions() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            makeTablespace(connection);
            try {
                String changelog = plainTable("USING INDEX events_created_id");
                run(changelog.split("  <changeSet id=\"convert\"")[0]).update();
                String rows = SqlRows.fingerprint(connection, QUALIFIED);
                if (indexIdentity()) {
                    run(changelog).update();
                    assertEquals("i", SqlRows.value(connection, "SELECT relreplident::text FROM pg_class WHERE oid = '" + QUALIFIED + "'::regclass"));
                } else {
                    String refused = PartitionExistingTableTest.messages(assertThrows(Exception.class, () -> run(changelog).update()));
                    assertTrue(refused.contains("partitionExistingTable: the replica identity of " + QUALIFIED + " is an index, which pg_partman "
                            + TestDatabase.partmanVersion() + " cannot give to the partitions it makes"), refused);
                    assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + QUALIFIED + "'::regclass"));
                    assertEquals(List.of(TABLE), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '"
                            + SCHEMA + "'::regnamespace AND relkind IN ('r', 'p') AND relname LIKE 'events%' ORDER BY 1"), "nothing made");
                }
                assertEquals(rows, SqlRows.fingerprint(connection, QUALIFIED));
            } finally {
                dropTablespace(connection);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FULL", "NOTHING"})
    void replicaIdentityFullOrNothingReachesEveryPartition(String identity) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            makeTablespace(connection);
            try {
                run(plainTable(identity)).update();

                String code = identity.substring(0, 1).toLowerCase();
                assertEquals(code, SqlRows.value(connection, "SELECT relreplident::text FROM pg_class WHERE oid = '" + QUALIFIED + "'::regclass"));
                assertEquals(List.of(TABLESPACE + " {fillfactor=70,autovacuum_vacuum_scale_factor=0.02} {autovacuum_enabled=false} " + code),
                        partitionProperties(connection, "true").stream().distinct().toList());

                run(plainTable(identity)).rollbackCount(1);

                assertEquals(code, SqlRows.value(connection, "SELECT relreplident::text FROM pg_class WHERE oid = '" + QUALIFIED + "'::regclass"));
            } finally {
                dropTablespace(connection);
            }
        }
    }
}
