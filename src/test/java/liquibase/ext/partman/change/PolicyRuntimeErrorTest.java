package liquibase.ext.partman.change;

import static liquibase.ext.partman.support.LiquibaseRun.xmlChangeLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** Run-time problems give an error that says what to do, and leave nothing half-applied. */
class PolicyRuntimeErrorTest extends OwnSchemaTest {

    private static final String SCHEMA = "policy_errors";

    private String failure(String changeSets) {
        Exception failure = assertThrows(Exception.class, run(changeSets)::update);
        return Failures.messages(failure);
    }

    PolicyRuntimeErrorTest() {
        super(SCHEMA);
    }

    @Test
    void missingTable() {
        String message = failure("""
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="nowhere" controlColumn="at" interval="1 day"/>
                  </changeSet>
                """);
        assertTrue(message.contains("table policy_errors.nowhere does not exist"), message);
    }

    @Test
    void tableNotPartitioned() {
        String message = failure("""
                  <changeSet id="table" author="test"><sql>CREATE TABLE plain (at date NOT NULL)</sql></changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="plain" controlColumn="at" interval="1 day"/>
                  </changeSet>
                """);
        assertTrue(message.contains("table policy_errors.plain is not partitioned"), message);
    }

    @Test
    void retentionOnATablePgPartmanDoesNotManage() {
        String message = failure("""
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE unmanaged (at date NOT NULL) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="retention" author="test">
                    <partman:setRetention tableName="unmanaged" retention="6 months" retentionKeepTable="false"/>
                  </changeSet>
                """);
        assertTrue(message.contains("table policy_errors.unmanaged is not managed by pg_partman"), message);
        assertTrue(message.contains("createPartmanParent"), message);
    }

    @Test
    void alreadyRegisteredWithAnotherPolicy() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "CREATE TABLE policy_errors.daily (at date NOT NULL) PARTITION BY RANGE (at)",
                    TestDatabase.createParentSql("policy_errors.daily", "at", "1 day", "p_premake := 2"));
            long children = SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'policy_errors.daily'::regclass");
            String message = failure("""
                      <changeSet id="register" author="test">
                        <partman:createPartmanParent tableName="daily" controlColumn="at" interval="1 month"/>
                      </changeSet>
                    """);
            assertTrue(message.contains("is already managed by pg_partman with control column at and interval 1 day"), message);
            assertTrue(message.contains("not at and 1 month"), message);
            assertEquals(children, SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'policy_errors.daily'::regclass"));
            assertEquals("1 day", SqlRows.value(connection,
                    "SELECT partition_interval FROM partman.part_config WHERE parent_table = 'policy_errors.daily'"));
        }
    }

    /** pg_partman 4.7 has no list partitioning: refused before any changeset runs. 5.1 and later take it. */
    @Test
    void listPartitioningNeedsPartman51() throws Exception {
        LiquibaseRun run = run("""
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE by_list (id int NOT NULL) PARTITION BY LIST (id)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="by_list" controlColumn="id" interval="1" type="list"/>
                  </changeSet>
                """);
        try (Connection connection = TestDatabase.connect()) {
            if (TestDatabase.partmanVersion().atLeast(5, 1)) {
                run.update();
                assertEquals("list", SqlRows.value(connection,
                        "SELECT partition_type FROM partman.part_config WHERE parent_table = 'policy_errors.by_list'"));
                SqlRows.execute(connection, "INSERT INTO policy_errors.by_list VALUES (1)");
                assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM ONLY policy_errors.by_list_default"),
                        "the value has a partition of its own");
            } else {
                String message = Failures.messages(assertThrows(Exception.class, run::update));
                assertTrue(message.contains("list partitioning needs pg_partman 5.1 or later; the target is pg_partman "
                        + TestDatabase.partmanVersion()), message);
                assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_tables WHERE schemaname = 'policy_errors' AND tablename = 'by_list'"),
                        "validation fails before the first changeset runs");
            }
        }
    }

    /** pg_partman 4.x always makes a DEFAULT partition: refused there. 5.x makes none when told so. */
    @Test
    void noDefaultTableNeedsPartman5() throws Exception {
        LiquibaseRun run = run("""
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE no_default (at date NOT NULL) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="no_default" controlColumn="at" interval="1 day" defaultTable="false"/>
                  </changeSet>
                """);
        if (TestDatabase.partmanVersion().atLeast(5, 0)) {
            run.update();
            try (Connection connection = TestDatabase.connect()) {
                String children = "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'policy_errors.no_default'::regclass";
                assertTrue(SqlRows.exists(connection, children), "registered, with its partitions");
                assertFalse(SqlRows.strings(connection, children).contains("DEFAULT"), "and no DEFAULT partition");
            }
        } else {
            String message = Failures.messages(assertThrows(Exception.class, run::update));
            assertTrue(message.contains("defaultTable=\"false\" needs pg_partman 5"), message);
        }
    }

    @Test
    void missingExtension() throws Exception {
        String otherDatabase = TestDatabase.urlOfDatabase("partman_no_extension");
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", xmlChangeLog("""
                  <changeSet id="table" author="test">
                    <sql>CREATE TABLE IF NOT EXISTS lonely (at date NOT NULL) PARTITION BY RANGE (at)</sql>
                  </changeSet>
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="lonely" controlColumn="at" interval="1 day"/>
                  </changeSet>
                """), otherDatabase, "public");
        Exception failure = assertThrows(Exception.class, run::update);
        String messages = Failures.messages(failure);
        assertTrue(messages.contains("pg_partman is not installed in this database"), () -> messages);
        assertTrue(messages.contains("CREATE EXTENSION pg_partman"), () -> messages);
    }

    @Test
    void roleWithoutRightsOnPartman() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'partman_outsider') THEN "
                            + "CREATE ROLE partman_outsider LOGIN; END IF; END $$",
                    // Testcontainers' server asks clients from outside for a password; the local cluster trusts them.
                    "ALTER ROLE partman_outsider PASSWORD 'outsider'",
                    "GRANT ALL ON SCHEMA policy_errors TO partman_outsider",
                    "CREATE TABLE policy_errors.outsiders (at date NOT NULL) PARTITION BY RANGE (at)",
                    "ALTER TABLE policy_errors.outsiders OWNER TO partman_outsider");
        }
        String url = TestDatabase.url().replace("user=postgres", "user=partman_outsider")
                .replaceFirst("password=[^&]*", "password=outsider");
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", xmlChangeLog("""
                  <changeSet id="register" author="test">
                    <partman:createPartmanParent tableName="outsiders" controlColumn="at" interval="1 day"/>
                  </changeSet>
                """), url, SCHEMA);
        Exception failure = assertThrows(Exception.class, run::update);
        String messages = Failures.messages(failure);
        assertTrue(messages.contains("role partman_outsider may not use pg_partman in schema partman"), () -> messages);
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM partman.part_config WHERE parent_table = 'policy_errors.outsiders'"));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'policy_errors.outsiders'::regclass"));
            assertEquals(0, SqlRows.count(connection, "SELECT count(*) FROM policy_errors.databasechangelog WHERE id = 'register'"));
        }
    }
}
