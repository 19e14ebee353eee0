package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;

import org.junit.jupiter.api.Test;

import liquibase.change.ColumnConfig;
import liquibase.change.core.CreateTableChange;
import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/** createTable with partman:partitionBy: the PARTITION BY clause, in XML and YAML, applied and rolled back. */
class PartitionedCreateTableTest extends OwnSchemaTest {

    private static final String SCHEMA = "partitioned_create";
    private static final String XML = LiquibaseRun.xmlChangeLog("""
              <changeSet id="events" author="test">
                <createTable tableName="events" partman:partitionBy="RANGE (created_on)"%s>
                  <column name="id" type="bigint"><constraints nullable="false"/></column>
                  <column name="created_on" type="date"><constraints nullable="false"/></column>
                </createTable>
              </changeSet>
            """);

    /** An offline PostgreSQL with a history file of its own, so every updateSQL writes the whole changelog. */
    private static String offline() throws Exception {
        return LiquibaseRun.OFFLINE + "&changeLogFile=" + Files.createTempDirectory("offline").resolve("history.csv");
    }

    PartitionedCreateTableTest() {
        super(SCHEMA);
    }

    @Test
    void writesPartitionByAfterTheColumnsAndBeforeTheTablespace() throws Exception {
        String sql = LiquibaseRun.of("changelog.xml", XML.formatted(""), offline(), null).updateSql();
        assertTrue(sql.contains("CREATE TABLE events (id BIGINT NOT NULL, created_on date NOT NULL) PARTITION BY RANGE (\"created_on\");"), sql);

        String withTablespace = LiquibaseRun.of("changelog.xml", XML.formatted(" tablespace=\"pg_default\""), offline(), null)
                .updateSql();
        assertTrue(withTablespace.contains(") PARTITION BY RANGE (\"created_on\") TABLESPACE pg_default;"), withTablespace);
    }

    @Test
    void yamlTakesTheSameAttribute() throws Exception {
        String yaml = """
                databaseChangeLog:
                - changeSet:
                    id: events
                    author: test
                    changes:
                    - createTable:
                        tableName: events
                        partitionBy: LIST (region, kind)
                        columns:
                        - column: {name: region, type: text}
                        - column: {name: kind, type: text}
                """;
        String sql = LiquibaseRun.of("changelog.yaml", yaml, offline(), null).updateSql();
        assertTrue(sql.contains(") PARTITION BY LIST (\"region\", \"kind\");"), sql);
    }

    @Test
    void createsThePartitionedTableAndRollsBackByDroppingIt() throws Exception {
        LiquibaseRun run = LiquibaseRun.of("changelog.xml", XML.formatted(""), TestDatabase.url(), SCHEMA);
        run.update();
        try (Connection connection = TestDatabase.connect()) {
            assertEquals("RANGE (created_on)", SqlRows.value(connection, "SELECT pg_get_partkeydef('" + SCHEMA + ".events'::regclass)"));
        }
        run.rollbackCount(1);
        try (Connection connection = TestDatabase.connect()) {
            assertFalse(SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('" + SCHEMA + ".events')"));
        }
    }

    @Test
    void refusesAKeyThatIsNotColumnsNamingTheAttribute() {
        Exception refused = assertThrows(Exception.class, () -> LiquibaseRun.of("changelog.xml",
                XML.formatted("").replace("RANGE (created_on)", "RANGE (date_trunc('day', created_on))"), TestDatabase.url(), SCHEMA).update());
        assertTrue(refused.getMessage().contains("createTable.partitionBy"), refused.getMessage());
    }

    /** Without partitionBy it is core's createTable, so the checksums of existing changelogs stay as they are. */
    @Test
    void withoutPartitionByTheChecksumIsCores() {
        CreateTableChange core = new CreateTableChange();
        PartitionedCreateTableChange ours = new PartitionedCreateTableChange();
        for (CreateTableChange change : new CreateTableChange[] {core, ours}) {
            change.setTableName("events");
            change.addColumn(new ColumnConfig().setName("id").setType("bigint"));
        }
        assertEquals(core.generateCheckSum(), ours.generateCheckSum());
    }
}
