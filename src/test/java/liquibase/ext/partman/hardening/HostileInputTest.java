package liquibase.ext.partman.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.changelog.ChangeLogParameters;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.ext.partman.PartmanNamespace;
import liquibase.ext.partman.sql.ScriptStatement;
import liquibase.ext.partman.support.ChangeExamples;
import liquibase.ext.partman.support.Failures;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.statement.SqlStatement;

/**
 * Every string attribute of every change type gets hostile and malformed values. Each must be
 * rejected by validation with a message naming the attribute, or reach the database as an inert
 * literal: no case may run a statement the change did not intend (a canary table watched inside
 * the transaction, and pg_stat_statements tracking nested statements).
 */
class HostileInputTest {

    private static final String SCHEMA = "hostile";

    static final List<String> HOSTILE = List.of(
            "'", "''", "\"", "x'; DROP TABLE hostile.canary; --", "x\"; DROP TABLE hostile.canary; --",
            // These parse as PL/pgSQL wherever a value ends a function call, were a quote to slip through.
            "x'); DROP TABLE hostile.canary; PERFORM length('", "x')); DROP TABLE hostile.canary; PERFORM length(('",
            "x' THEN NULL; END IF; DROP TABLE hostile.canary; IF '",
            "$$", "$$; DROP TABLE hostile.canary; $$", "$partman$", "$partman$; DROP TABLE hostile.canary; --",
            "; DROP TABLE hostile.canary", "-- comment", "/* open comment", "*/ DROP TABLE hostile.canary; /*",
            "a\0b", "\u0007bell", "line\nDROP TABLE hostile.canary;", "tab\there", "\r\n",
            "ｓｔａｔ＿ｄａｔｅ", "tаble", "x’; DROP TABLE hostile.canary; --", "\\", "E'\\x27'", "%s %I %L", "${injected}",
            "", " ", "x".repeat(10_000), "null", "NULL", "1e400", "-1", "0", "99999999999999999999", "true; false");

    /** Where a change type's example cannot run as it is against {@link #prepare}'s tables. */
    private static final Map<String, Map<String, String>> OVERRIDES = Map.of(
            "createPartmanParent", Map.of("tableName", "fresh"));

    /** The change type's example, in the schema {@link #prepare} fills. */
    private static Change valid(String changeType) {
        Change change = ChangeExamples.of(changeType).change(OVERRIDES.getOrDefault(changeType, Map.of()));
        ChangeParameterMetaData schemaName = metaData(change).get("schemaName");
        if (schemaName != null) {
            schemaName.setValue(change, SCHEMA);
        }
        return change;
    }

    private static Map<String, ChangeParameterMetaData> metaData(Change change) {
        return Scope.getCurrentScope().getSingleton(ChangeFactory.class).getChangeMetaData(change).getParameters();
    }

    private static void prepare(Connection connection) throws SQLException {
        TestDatabase.resetSchema(SCHEMA);
        SqlRows.execute(connection,
                "CREATE TABLE hostile.canary (alive int)", "INSERT INTO hostile.canary VALUES (1)",
                "CREATE TABLE hostile.statistics_daily_users (id bigint NOT NULL, stat_date date NOT NULL) PARTITION BY RANGE (stat_date)",
                TestDatabase.createParentSql("hostile.statistics_daily_users", "stat_date", "1 month", "p_start_partition := '2024-01-01'"),
                "CREATE TABLE hostile.fresh (id bigint NOT NULL, stat_date date NOT NULL) PARTITION BY RANGE (stat_date)",
                "SET pg_stat_statements.track = 'all'",
                "SELECT pg_stat_statements_reset()");
    }

    @Test
    void noAttributeValueRunsSqlTheChangeDidNotIntend() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            SqlRows.execute(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            prepare(connection);
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(SCHEMA);

            List<String> changeTypes = ourChangeTypes();
            int rejected = 0;
            int inert = 0;
            List<String> problems = new ArrayList<>();
            Set<String> sent = new HashSet<>();
            for (String changeType : changeTypes) {
                for (ChangeParameterMetaData parameter : stringParameters(valid(changeType))) {
                    for (String value : HOSTILE) {
                        Change change = valid(changeType);
                        parameter.setValue(change, value);
                        List<String> errors = change.validate(database).getErrorMessages();
                        if (!errors.isEmpty()) {
                            rejected++;
                            if (errors.stream().noneMatch(error -> error.contains(parameter.getParameterName())
                                    || error.contains(changeType + ":"))) {
                                problems.add(changeType + "." + parameter.getParameterName() + " = " + printable(value)
                                        + " rejected without naming the attribute: " + errors);
                            }
                            continue;
                        }
                        inert++;
                        String harm = runAndWatch(connection, change, database, sent);
                        if (harm != null) {
                            problems.add(changeType + "." + parameter.getParameterName() + " = " + printable(value) + ": " + harm);
                        }
                    }
                }
            }
            System.out.printf("hostile input: %d cases tried, %d rejected by validation, %d carried through as literals%n",
                    rejected + inert, rejected, inert);
            assertEquals(List.of(), problems);
            assertTrue(rejected + inert > 500, "cases tried: " + (rejected + inert));
        }
    }

    /**
     * Runs the change's SQL in a transaction that is rolled back; says what harm it did, or null.
     *
     * @param sent every script the test has sent so far (pg_stat_statements keeps them all); this one's are added
     */
    private static String runAndWatch(Connection connection, Change change, Database database, Set<String> sent)
            throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            try {
                for (SqlStatement generated : change.generateStatements(database)) {
                    String script = ((ScriptStatement) generated).getSql();
                    sent.add(withoutLeadingComments(script));
                    statement.execute(script);
                }
            } catch (SQLException | RuntimeException refusedByTheServer) {
                connection.rollback();
            }
            if (!SqlRows.exists(connection, "SELECT 1 FROM pg_class WHERE oid = to_regclass('hostile.canary')")
                    || SqlRows.count(connection, "SELECT count(*) FROM hostile.canary") != 1) {
                return "the canary table was changed";
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
        // pg_stat_statements shows constants as $1, so a hostile value that stayed a literal leaves
        // no trace; only our own scripts (utility statements, kept verbatim) and checks may name the canary.
        // A script is recognised by its text, which PostgreSQL keeps; 18 drops its leading comment.
        List<String> foreign = SqlRows.strings(connection, "SELECT query FROM pg_stat_statements "
                + "WHERE query ILIKE '%canary%' AND query NOT ILIKE '%pg_stat_statements%' "
                + "AND query NOT ILIKE 'SELECT 1 FROM pg_class%' AND query NOT ILIKE 'SELECT count(*) FROM hostile.canary%' "
                + "AND query NOT ILIKE 'CREATE TABLE hostile.canary%' AND query NOT ILIKE 'INSERT INTO hostile.canary%'")
                .stream().filter(query -> !sent.contains(withoutLeadingComments(query))).toList();
        return foreign.isEmpty() ? null : "statements ran that the change did not intend: " + foreign;
    }

    private static String withoutLeadingComments(String sql) {
        String rest = sql.strip();
        while (rest.startsWith("--")) {
            int lineEnd = rest.indexOf('\n');
            rest = lineEnd < 0 ? "" : rest.substring(lineEnd + 1).strip();
        }
        return rest;
    }

    private static List<String> ourChangeTypes() {
        return ChangeExamples.registeredChanges().stream().map(Change::getSerializedObjectName).toList();
    }

    private static List<ChangeParameterMetaData> stringParameters(Change change) {
        return metaData(change).values().stream().filter(parameter -> parameter.getDataTypeClass() == String.class).toList();
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return shown.replace("\0", "\\0").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** A number or flag written as words fails when the changelog is read, naming the attribute. */
    @Test
    void wrongTypesAreRefusedWhenTheChangelogIsRead(@TempDir Path folder) throws Exception {
        int cases = 0;
        for (String changeType : ourChangeTypes()) {
            for (ChangeParameterMetaData parameter : metaData(valid(changeType)).values()) {
                if (parameter.getDataTypeClass() == String.class) {
                    continue;
                }
                // Without our XSD, so that Liquibase's own conversion is what refuses the value.
                String xml = "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\" xmlns:partman=\""
                        + PartmanNamespace.URI + "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        + "xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog "
                        + "http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\"><changeSet id=\"x\" author=\"test\"><partman:" + changeType + " "
                        + parameter.getParameterName() + "=\"twelve\"/></changeSet></databaseChangeLog>";
                Files.writeString(folder.resolve("wrong.xml"), xml, StandardCharsets.UTF_8);
                DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(folder);
                Exception failure = assertThrows(Exception.class, () -> ChangeLogParserFactory.getInstance()
                        .getParser("wrong.xml", accessor).parse("wrong.xml", new ChangeLogParameters(), accessor));
                String messages = Failures.messages(failure);
                assertTrue(messages.contains(changeType + "." + parameter.getParameterName() + ": 'twelve' is not"),
                        () -> messages);
                cases++;
            }
        }
        System.out.printf("wrong types: %d number/flag attributes refused when read%n", cases);
        assertTrue(cases > 10);
    }
}
