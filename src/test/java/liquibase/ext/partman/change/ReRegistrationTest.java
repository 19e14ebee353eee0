package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import liquibase.ext.partman.support.LiquibaseRun;
import liquibase.ext.partman.support.OwnSchemaTest;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * Issue 25, goal 3: createPartmanParent registers a table with the partitions it already has, whatever
 * their names (4.x's, 5.x's, or a hand-made naming): none made beside them, none left out, and the
 * set keeps naming new partitions as the old ones are named when a pg_partman naming fits them.
 */
class ReRegistrationTest extends OwnSchemaTest {

    private static final String SCHEMA = "re_registration";
    private static final String PARENT = SCHEMA + ".events";
    private static final String REGISTER = """
              <changeSet id="register" author="test">
                <partman:createPartmanParent tableName="events" controlColumn="at" interval="1 month"
                    premake="2" startPartition="2024-01-01"/>
              </changeSet>
            """;

    /** A set left registered here, its partitions renamed by hand, would fail other tests' checks of every managed table. */
    ReRegistrationTest() {
        super(SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        TestDatabase.resetSchema(SCHEMA);
    }

    /**
     * @param suffix  to_char format of the hand-made children's names after "events_"
     * @param naming  the datetime_string the set should get; "" for a naming pg_partman has not
     */
    @ParameterizedTest(name = "children events_{0}")
    @CsvSource({"'\"p\"YYYY_MM', YYYY_MM", "'\"p\"YYYYMMDD', YYYYMMDD", "'Mon_YYYY', ''"})
    void registersTheTableWithThePartitionsItHas(String suffix, String naming) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection,
                    "CREATE TABLE " + PARENT + " (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                    "CREATE TABLE " + SCHEMA + ".events_default PARTITION OF " + PARENT + " DEFAULT",
                    // Monthly, from January 2024 up to the current month: create_parent and
                    // maintenance make the premake's two after it.
                    "DO $$ DECLARE m date; BEGIN FOR m IN SELECT generate_series('2024-01-01'::date, date_trunc('month', now())::date, "
                            + "interval '1 month')::date LOOP EXECUTE format('CREATE TABLE " + SCHEMA + ".%I PARTITION OF " + PARENT
                            + " FOR VALUES FROM (%L) TO (%L)', 'events_' || to_char(m, '" + suffix.replace("'", "''") + "'), m, "
                            + "(m + interval '1 month')::date); END LOOP; END $$",
                    "INSERT INTO " + PARENT + " SELECT g, DATE '2024-01-01' + g FROM generate_series(0, 500) g",
                    "INSERT INTO " + PARENT + " VALUES (-1, DATE '2023-06-01')");
        }
        List<String> before;
        try (Connection connection = TestDatabase.connect()) {
            before = children(connection);
        }
        LiquibaseRun run = run(REGISTER);
        run.update();
        for (int round = 0; round < 2; round++) {
            try (Connection connection = TestDatabase.connect()) {
                List<String> after = children(connection);
                assertTrue(after.containsAll(before), () -> "partitions before: " + before + ", after: " + after);
                assertEquals(before.size() + 2, after.size(), () -> "partitions: " + after);
                assertEquals(502L, SqlRows.count(connection, "SELECT count(*) FROM " + PARENT));
                assertEquals(1L, SqlRows.count(connection, "SELECT count(*) FROM ONLY " + SCHEMA + ".events_default"));
                if (!naming.isEmpty()) {
                    assertEquals(naming, SqlRows.value(connection,
                            "SELECT datetime_string FROM partman.part_config WHERE parent_table = '" + PARENT + "'"));
                    assertEquals(List.of(), SqlRows.strings(connection, "SELECT k.relname FROM pg_inherits i "
                            + "JOIN pg_class k ON k.oid = i.inhrelid WHERE i.inhparent = '" + PARENT + "'::regclass "
                            + "AND pg_get_expr(k.relpartbound, k.oid) <> 'DEFAULT' "
                            + "AND k.relname <> 'events_' || to_char(substring(pg_get_expr(k.relpartbound, k.oid) FROM '''([^'']*)''')::date, "
                            + SqlRows.value(connection, "SELECT quote_literal('" + suffix.replace("'", "''") + "')") + ")"));
                }
                SqlRows.execute(connection, "SELECT partman.run_maintenance('" + PARENT + "')");
                assertEquals(after, children(connection));
            }
            run.rollbackCount(1);
            run.update();
        }
    }

    private static List<String> children(Connection connection) throws SQLException {
        return SqlRows.strings(connection, "SELECT k.relname || ' ' || pg_get_expr(k.relpartbound, k.oid) FROM pg_inherits i "
                + "JOIN pg_class k ON k.oid = i.inhrelid WHERE i.inhparent = '" + PARENT + "'::regclass ORDER BY 1");
    }
}
