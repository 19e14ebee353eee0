package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * partitionExistingTable on a table with triggers and row-level security: an audit AFTER ROW
 * trigger, a BEFORE ROW trigger filling a column (with a column list and a WHEN), a statement trigger
 * with a transition table (ENABLE ALWAYS), a deferred constraint trigger, a disabled trigger, and
 * FORCE ROW LEVEL SECURITY with a permissive and a restrictive policy. An application writes while the
 * table is converted: the audit table gets exactly one entry per write, none for the conversion's
 * copying and log replay; afterwards the triggers fire on the partitioned table (once: the plain
 * table's are disabled), the policies hold for a role that is not the owner, and the rollback gives
 * the plain table back with the same triggers and policies, working.
 */
class PartitionExistingTableTriggersTest extends OwnSchemaTest {

    private static final String SCHEMA = "convert_triggers";
    private static final String EVENTS = SCHEMA + ".events";
    private static final String TENANT = "convert_tenant";

    PartitionExistingTableTriggersTest() {
        super(SCHEMA);
    }

    private static final String TABLE = """
              <changeSet id="plain" author="test">
                <sql>CREATE TABLE events (id bigserial, created date NOT NULL, payload text NOT NULL, filled text,
                       tenant text NOT NULL DEFAULT 'a', PRIMARY KEY (id, created))</sql>
                <sql>INSERT INTO events (created, payload, tenant)
                       SELECT current_date - (g % 400), CASE WHEN g % 10 = 0 THEN 'hidden ' ELSE 'row ' END || g,
                              CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
                       FROM generate_series(1, 3000) g</sql>
                <sql>CREATE TABLE audit (n bigserial PRIMARY KEY, source text NOT NULL, op text NOT NULL, id bigint NOT NULL)</sql>
                <sql>CREATE TABLE statements (n bigserial PRIMARY KEY, op text NOT NULL, row_count bigint NOT NULL)</sql>
                <sql splitStatements="false">CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
                       BEGIN
                         INSERT INTO convert_triggers.audit (source, op, id)
                           VALUES (TG_ARGV[0], TG_OP, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
                         RETURN NULL;
                       END $$</sql>
                <sql splitStatements="false">CREATE FUNCTION fill() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN NEW.filled := upper(NEW.payload); RETURN NEW; END $$</sql>
                <sql splitStatements="false">CREATE FUNCTION count_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
                       BEGIN
                         INSERT INTO convert_triggers.statements (op, row_count) VALUES (TG_OP, (SELECT count(*) FROM added));
                         RETURN NULL;
                       END $$</sql>
                <sql splitStatements="false">CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN RAISE EXCEPTION 'the disabled trigger fired'; END $$</sql>
                <sql>CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION audit('it''s a row')</sql>
                <sql>COMMENT ON TRIGGER audit ON events IS 'who did what'</sql>
                <sql>CREATE TRIGGER fill BEFORE INSERT OR UPDATE OF payload ON events FOR EACH ROW
                       WHEN (NEW.filled IS DISTINCT FROM upper(NEW.payload)) EXECUTE FUNCTION fill()</sql>
                <sql>CREATE TRIGGER statement AFTER INSERT ON events REFERENCING NEW TABLE AS added FOR EACH STATEMENT
                       EXECUTE FUNCTION count_rows()</sql>
                <sql>ALTER TABLE events ENABLE ALWAYS TRIGGER statement</sql>
                <sql>CREATE CONSTRAINT TRIGGER deferred AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                       EXECUTE FUNCTION audit('deferred')</sql>
                <sql>CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse()</sql>
                <sql>ALTER TABLE events DISABLE TRIGGER refuse</sql>
                <sql>ALTER TABLE events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY</sql>
                <sql>CREATE POLICY tenant_a ON events FOR ALL TO convert_tenant USING (tenant = 'a') WITH CHECK (tenant = 'a')</sql>
                <sql>CREATE POLICY not_hidden ON events AS RESTRICTIVE FOR SELECT TO PUBLIC USING (payload NOT LIKE 'hidden%')</sql>
                <sql>COMMENT ON POLICY not_hidden ON events IS 'nobody sees those'</sql>
                <sql>GRANT USAGE ON SCHEMA convert_triggers TO convert_tenant</sql>
                <sql>GRANT SELECT, INSERT, UPDATE ON events TO convert_tenant</sql>
                <sql>GRANT USAGE ON SEQUENCE events_id_seq TO convert_tenant</sql>
              </changeSet>
            """;
    private static final String CONVERT = """
              <changeSet id="convert" author="test" runInTransaction="false">
                <partman:partitionExistingTable tableName="events" controlColumn="created" interval="1 month" premake="2" batchSize="300"/>
              </changeSet>
            """;
    /** What a trigger is, whatever table it is on. */
    private static final String TRIGGERS = "SELECT tgname || ' ' || tgenabled::text || ' ' || replace(pg_get_triggerdef(oid), ' ON %1$s ', ' ON <table> ') "
            + "|| coalesce(' -- ' || obj_description(oid, 'pg_trigger'), '') FROM pg_trigger WHERE tgrelid = '%1$s'::regclass "
            + "AND NOT tgisinternal AND tgname NOT LIKE 'partman%%' ORDER BY 1";
    private static final String POLICIES = "SELECT concat_ws(' ', policyname, permissive, roles::text, cmd, qual, with_check, "
            + "obj_description((SELECT oid FROM pg_policy WHERE polrelid = '%1$s'::regclass AND polname = policyname), 'pg_policy')) "
            + "FROM pg_policies WHERE schemaname || '.' || tablename = '%1$s' ORDER BY 1";
    private static final String SECURITY = "SELECT relrowsecurity || ' ' || relforcerowsecurity FROM pg_class WHERE oid = '%s'::regclass";

    @Test
    void triggersAndRowLevelSecurityAreCarriedOverAndBackAndFireOnlyForTheApplicationsWrites() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + TENANT + "') THEN "
                    + "DROP OWNED BY " + TENANT + "; DROP ROLE " + TENANT + "; END IF; END $$", "CREATE ROLE " + TENANT);
            try {
                run(TABLE).update();
                List<String> triggers = SqlRows.strings(connection, TRIGGERS.formatted(EVENTS));
                List<String> policies = SqlRows.strings(connection, POLICIES.formatted(EVENTS));
                assertEquals(5, triggers.size(), triggers.toString());
                assertEquals(2, policies.size(), policies.toString());
                assertEquals("true true", SqlRows.value(connection, SECURITY.formatted(EVENTS)));

                // The application writes while the table is converted.
                List<String> writes = Collections.synchronizedList(new ArrayList<>());
                List<String> failures = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(running, writes, failures));
                try {
                    Thread.sleep(200);
                    run(TABLE + CONVERT).update();
                    Thread.sleep(200);
                } finally {
                    running.set(false);
                    writer.get(1, TimeUnit.MINUTES);
                }
                assertEquals(List.of(), failures);
                assertEquals("p", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertTrue(writes.size() > 30, "the application wrote during the conversion: " + writes.size());
                assertAudited(connection, writes);

                // The partitioned table has the triggers and the policies the plain table had; the plain one keeps
                // its policies, and its triggers are disabled so that the write-back does not fire them again.
                String old = EVENTS + "_partman_old";
                assertEquals(triggers, SqlRows.strings(connection, TRIGGERS.formatted(EVENTS)));
                assertEquals(policies, SqlRows.strings(connection, POLICIES.formatted(EVENTS)));
                assertEquals("true true", SqlRows.value(connection, SECURITY.formatted(EVENTS)));
                assertEquals(List.of("D", "D", "D", "D", "D"), SqlRows.strings(connection, "SELECT tgenabled::text FROM pg_trigger "
                        + "WHERE tgrelid = '" + old + "'::regclass AND NOT tgisinternal ORDER BY tgname"));
                assertEquals(policies.size(), SqlRows.count(connection, "SELECT count(*) FROM pg_policy WHERE polrelid = '" + old + "'::regclass"));

                writeAfter(connection, writes, true);
                assertAudited(connection, writes);
                assertEquals(SqlRows.fingerprint(connection, EVENTS), SqlRows.fingerprint(connection, old));
                assertPoliciesHold(connection);

                run(TABLE + CONVERT).rollbackCount(1);

                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(triggers, SqlRows.strings(connection, TRIGGERS.formatted(EVENTS)));
                assertEquals(policies, SqlRows.strings(connection, POLICIES.formatted(EVENTS)));
                assertEquals("true true", SqlRows.value(connection, SECURITY.formatted(EVENTS)));
                writeAfter(connection, writes, false);
                assertAudited(connection, writes);
                assertPoliciesHold(connection);
            } finally {
                TestDatabase.resetSchema(SCHEMA);
                SqlRows.execute(connection, "DROP OWNED BY " + TENANT, "DROP ROLE " + TENANT);
            }
        }
    }

    /**
     * Run by the table's owner, neither superuser nor BYPASSRLS, under FORCE ROW LEVEL SECURITY: the policies would
     * hide rows from the copy, so the conversion is refused before anything is done.
     */
    @Test
    void forcedRowLevelSecurityThatAppliesToTheRunningRoleIsRefused() throws Exception {
        String owner = "convert_rls_owner";
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "') THEN "
                    + "DROP OWNED BY " + owner + "; DROP ROLE " + owner + "; END IF; END $$",
                    // Testcontainers' server asks clients from outside for a password; the local cluster trusts them.
                    "CREATE ROLE " + owner + " LOGIN PASSWORD 'owner'",
                    "GRANT ALL ON SCHEMA " + SCHEMA + " TO " + owner,
                    "GRANT USAGE, CREATE ON SCHEMA partman TO " + owner,
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA partman TO " + owner,
                    "CREATE TABLE " + EVENTS + " (id bigint, created date NOT NULL, tenant text NOT NULL, PRIMARY KEY (id, created))",
                    "INSERT INTO " + EVENTS + " SELECT g, current_date - g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 100) g",
                    "ALTER TABLE " + EVENTS + " OWNER TO " + owner,
                    "ALTER TABLE " + EVENTS + " ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY",
                    "CREATE POLICY only_a ON " + EVENTS + " USING (tenant = 'a')");
            try {
                String url = TestDatabase.url().replace("user=postgres", "user=" + owner).replaceFirst("password=[^&]*", "password=owner");
                Exception refused = assertThrows(Exception.class, () -> LiquibaseRun.of("changelog.xml",
                        LiquibaseRun.xmlChangeLog(CONVERT), url, SCHEMA).update());
                String messages = PartitionExistingTableTest.messages(refused);
                assertTrue(messages.contains("the row-level security of " + EVENTS + " applies to " + owner
                        + ", so the copy would not see every row"), messages);
                assertEquals("r", SqlRows.value(connection, "SELECT relkind::text FROM pg_class WHERE oid = '" + EVENTS + "'::regclass"));
                assertEquals(List.of(), SqlRows.strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA
                        + "'::regnamespace AND relname LIKE 'events\\_partman\\_%'"), "nothing made beside it");
                assertEquals(100L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS));
            } finally {
                TestDatabase.resetSchema(SCHEMA);
                SqlRows.execute(connection, "DROP OWNED BY " + owner, "DROP ROLE " + owner);
            }
        }
    }

    /**
     * A write of each kind, each recorded as the audit trigger should record it: on the partitioned table an update that
     * moves a row to another partition is, for row triggers, a DELETE and an INSERT (PostgreSQL's rule for partitions).
     */
    private static void writeAfter(Connection connection, List<String> writes, boolean partitioned) throws SQLException {
        long id = SqlRows.count(connection, "INSERT INTO " + EVENTS + " (created, payload) VALUES (current_date - 35, 'after') RETURNING id");
        writes.add("INSERT " + id);
        SqlRows.execute(connection, "UPDATE " + EVENTS + " SET payload = 'after, updated' WHERE id = " + id);
        writes.add("UPDATE " + id);
        SqlRows.execute(connection, "UPDATE " + EVENTS + " SET created = created - 100 WHERE id = " + id);
        writes.addAll(partitioned ? List.of("DELETE " + id, "MOVED " + id) : List.of("UPDATE " + id));
        SqlRows.execute(connection, "DELETE FROM " + EVENTS + " WHERE id = 7");
        writes.add("DELETE 7");
        SqlRows.execute(connection, "INSERT INTO " + EVENTS + " (id, created, payload) VALUES (7, current_date - 200, 'back')");
        writes.add("INSERT 7");
    }

    /**
     * The audit trigger saw each write once, in order, and nothing else; the deferred constraint trigger each
     * row inserted; the statement trigger each INSERT statement, of one row; the BEFORE trigger filled every row written.
     */
    private static void assertAudited(Connection connection, List<String> writes) throws SQLException {
        assertEquals(writes.stream().map(write -> write.replace("MOVED ", "INSERT ")).toList(),
                SqlRows.strings(connection, "SELECT op || ' ' || id FROM " + SCHEMA + ".audit WHERE source = 'it''s a row' ORDER BY n"));
        assertEquals(writes.stream().filter(write -> write.startsWith("INSERT ") || write.startsWith("MOVED "))
                        .map(write -> write.replace("MOVED ", "INSERT ")).toList(),
                SqlRows.strings(connection, "SELECT op || ' ' || id FROM " + SCHEMA + ".audit WHERE source = 'deferred' ORDER BY n"));
        assertEquals(Collections.nCopies((int) writes.stream().filter(write -> write.startsWith("INSERT ")).count(), "INSERT 1"),
                SqlRows.strings(connection, "SELECT op || ' ' || row_count FROM " + SCHEMA + ".statements ORDER BY n"));
        assertEquals(0L, SqlRows.count(connection, "SELECT count(*) FROM " + EVENTS + " WHERE payload NOT LIKE 'row %' AND payload NOT LIKE 'hidden %' "
                + "AND filled IS DISTINCT FROM upper(payload)"));
    }

    /** The role that is not the owner sees and writes its tenant's rows only, and never the hidden ones. */
    private static void assertPoliciesHold(Connection owner) throws SQLException {
        long visible = SqlRows.count(owner, "SELECT count(*) FROM " + EVENTS + " WHERE tenant = 'a' AND payload NOT LIKE 'hidden%'");
        try (Connection tenant = TestDatabase.connect()) {
            SqlRows.execute(tenant, "SET ROLE " + TENANT);
            assertEquals(visible, SqlRows.count(tenant, "SELECT count(*) FROM " + EVENTS));
            Exception refused = assertThrows(SQLException.class, () -> SqlRows.execute(tenant,
                    "INSERT INTO " + EVENTS + " (created, payload, tenant) VALUES (current_date, 'theirs', 'b')"));
            assertTrue(refused.getMessage().contains("row-level security policy"), refused.getMessage());
            assertEquals(0L, SqlRows.count(tenant, "WITH u AS (UPDATE " + EVENTS + " SET payload = payload WHERE tenant = 'b' RETURNING 1) "
                    + "SELECT count(*) FROM u"));
        }
    }

    /**
     * Inserts, updates and deletes of its own rows, each one statement of one row, recorded in order. The updates keep
     * a row's partition: that it then fires UPDATE triggers holds before the swap and after it.
     */
    private static void write(AtomicBoolean running, List<String> writes, List<String> failures) {
        Random random = new Random(21);
        List<Long> mine = new ArrayList<>();
        try (Connection connection = TestDatabase.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + EVENTS + " (created, payload) "
                     + "VALUES (current_date - ?, ?) RETURNING id");
             PreparedStatement update = connection.prepareStatement("UPDATE " + EVENTS + " SET payload = ? WHERE id = ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + EVENTS + " WHERE id = ?")) {
            for (int n = 0; running.get(); n++) {
                try {
                    if (n % 3 == 0 || mine.size() < 2) {
                        insert.setInt(1, random.nextInt(390));
                        insert.setString(2, "written " + n);
                        try (ResultSet rs = insert.executeQuery()) {
                            rs.next();
                            mine.add(rs.getLong(1));
                            writes.add("INSERT " + rs.getLong(1));
                        }
                    } else if (n % 3 == 1) {
                        long id = mine.get(random.nextInt(mine.size()));
                        update.setString(1, "updated " + n);
                        update.setLong(2, id);
                        update.executeUpdate();
                        writes.add("UPDATE " + id);
                    } else {
                        long id = mine.remove(random.nextInt(mine.size()));
                        delete.setLong(1, id);
                        delete.executeUpdate();
                        writes.add("DELETE " + id);
                    }
                } catch (SQLException e) {
                    failures.add(e.getMessage());
                }
                Thread.sleep(3);
            }
        } catch (SQLException | InterruptedException e) {
            failures.add(e.toString());
        }
    }
}
