package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * What pg_partman 5.5 added or tightened, on the bed in front of it: the newer setting is applied
 * and rolled back there and refused naming the version elsewhere; a retention schema of another
 * owner is refused before pg_partman 5.5 would fail on it in every maintenance run.
 */
class NewerPartmanSettingsTest extends OwnSchemaTest {

    private static final String SCHEMA = "newer_settings";
    private static final String PARENT = "'newer_settings.events'";
    private static final String OTHER_OWNER = "partman_test_archive_owner";

    private static final String TABLE = """
              <changeSet id="table" author="test">
                <sql>CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)</sql>
                <rollback>DROP TABLE events</rollback>
              </changeSet>
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month"
                    premake="2" startPartition="2024-01-01"/>
              </changeSet>
            """;

    NewerPartmanSettingsTest() {
        super(SCHEMA);
    }

    @Test
    void detachBeforeDropIsSetAndRestoredOn55AndRefusedNamingTheVersionBefore() throws Exception {
        LiquibaseRun run = run(TABLE + """
                  <changeSet id="detach" author="test">
                    <partman:setPartmanConfig tableName="events" detachBeforeDrop="true"/>
                  </changeSet>
                """);
        if (!TestDatabase.partmanVersion().atLeast(5, 5)) {
            String messages = Failures.messages(assertThrows(Exception.class, run::update));
            assertTrue(messages.contains("detachBeforeDrop needs pg_partman 5.5 or later; the target is pg_partman "
                    + TestDatabase.partmanVersion()), () -> messages);
            return;
        }
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(true, detachBeforeDrop(connection));
            run.rollbackCount(1);
            assertEquals(false, detachBeforeDrop(connection), "rollback restores pg_partman's default");
        }
    }

    @Test
    void retentionSchemaOfAnotherOwnerIsRefusedOn55() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "DROP SCHEMA IF EXISTS newer_settings_archive CASCADE",
                    "DO $$ BEGIN CREATE ROLE " + OTHER_OWNER + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                    "CREATE SCHEMA newer_settings_archive AUTHORIZATION " + OTHER_OWNER);
        }
        LiquibaseRun run = run(TABLE + """
                  <changeSet id="retention" author="test">
                    <partman:setRetention tableName="events" retention="12 months" retentionSchema="newer_settings_archive"/>
                  </changeSet>
                """);
        if (!TestDatabase.partmanVersion().atLeast(5, 5)) {
            run.update();
            try (Connection connection = TestDatabase.connect()) {
                assertEquals("newer_settings_archive", SqlRows.value(connection,
                        "SELECT retention_schema FROM partman.part_config WHERE parent_table = " + PARENT));
            }
            return;
        }
        String messages = Failures.messages(assertThrows(Exception.class, run::update));
        assertTrue(messages.contains("setRetention.retentionSchema: schema newer_settings_archive must exist and be owned by "
                + "the role that owns newer_settings.events and its partitions"), () -> messages);
        assertTrue(messages.contains("ALTER SCHEMA newer_settings_archive OWNER TO"), () -> messages);
        try (Connection connection = TestDatabase.connect()) {
            assertEquals(null, SqlRows.value(connection,
                    "SELECT retention_schema FROM partman.part_config WHERE parent_table = " + PARENT), "nothing changed");
            SqlRows.execute(connection, "ALTER SCHEMA newer_settings_archive OWNER TO current_user");
        }
        run.update();
    }

    private static Object detachBeforeDrop(Connection connection) throws Exception {
        return SqlRows.value(connection, "SELECT detach_before_drop FROM partman.part_config WHERE parent_table = " + PARENT);
    }
}
