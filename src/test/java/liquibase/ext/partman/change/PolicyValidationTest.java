package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.Test;

import liquibase.database.core.PostgresDatabase;
import liquibase.database.OfflineConnection;
import liquibase.exception.ValidationErrors;
import liquibase.resource.SearchPathResourceAccessor;
import liquibase.ext.partman.support.NoDatabase;

/** validate() rejects bad input before any SQL runs, naming the attribute. */
@NoDatabase
class PolicyValidationTest {

    private static PostgresDatabase offlineDatabase() {
        PostgresDatabase database = new PostgresDatabase();
        database.setConnection(new OfflineConnection("offline:postgresql", new SearchPathResourceAccessor(".")));
        return database;
    }

    static List<Arguments> badInput() {
        return List.of(
                bad("createPartmanParent.tableName: is required", c -> c.setTableName(null)),
                bad("createPartmanParent.controlColumn: is required", c -> c.setControlColumn(null)),
                bad("createPartmanParent.interval: is required", c -> c.setInterval(" ")),
                bad("createPartmanParent.interval: '1 fortnight' is neither an interval", c -> c.setInterval("1 fortnight")),
                bad("createPartmanParent.interval: '6 months'; DROP TABLE x; --' is neither an interval",
                        c -> c.setInterval("6 months'; DROP TABLE x; --")),
                bad("createPartmanParent.interval: 'monthly' is neither an interval", c -> c.setInterval("monthly")),
                bad("createPartmanParent.premake: must be 1 or more, not 0", c -> c.setPremake(0)),
                bad("createPartmanParent.tableName: 'a\"b' is not a plain identifier", c -> c.setTableName("a\"b")),
                bad("createPartmanParent.tableName: 'public.t' is not a plain identifier", c -> c.setTableName("public.t")),
                bad("createPartmanParent.schemaName: 'x y' is not a plain identifier", c -> c.setSchemaName("x y")),
                bad("createPartmanParent.controlColumn: 'd\\u0000' is not a plain identifier", c -> c.setControlColumn("d\0")),
                bad("createPartmanParent.tableName: '" + "t".repeat(64) + "' is longer than", c -> c.setTableName("t".repeat(64))),
                bad("createPartmanParent.type: 'hash' must be one of range, list", c -> c.setType("hash")),
                bad("createPartmanParent.startPartition: 'yesterday' is neither", c -> c.setStartPartition("yesterday")),
                bad("createPartmanParent.dateTruncInterval: 'fortnight' is not a date_trunc unit", c -> c.setDateTruncInterval("fortnight")),
                bad("createPartmanParent.templateTable: 'a.b.c' must be a table name or schema.table", c -> c.setTemplateTable("a.b.c")),
                bad("createPartmanParent.constraintCols: 'b;c' is not a plain identifier", c -> c.setConstraintCols("a, b;c")),
                bad("createPartmanParent.timeZone: 'UTC'; --' is not a time zone name", c -> c.setTimeZone("UTC'; --")));
    }

    private static Arguments bad(String message, Consumer<CreatePartmanParentChange> breakIt) {
        return Arguments.of(message, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void createPartmanParentRejects(String message, Consumer<CreatePartmanParentChange> breakIt) {
        CreatePartmanParentChange change = PolicySqlTextTest.dailyUsers();
        breakIt.accept(change);
        List<String> errors = change.validate(offlineDatabase()).getErrorMessages();
        assertTrue(errors.stream().anyMatch(error -> error.startsWith(message)), () -> message + " not in " + errors);
    }

    @Test
    void acceptsWhatPgPartmanAccepts() {
        for (String interval : List.of("1 month", "1 day", "1 year", "3 months", "1 week", "12 hours", "30 minutes",
                "1 day 12:00", "P1M", "@ 1 mon", "1 mon", "10000")) {
            CreatePartmanParentChange change = PolicySqlTextTest.dailyUsers();
            change.setInterval(interval);
            change.setStartPartition("2024-01-01 00:00:00+09");
            change.setTimeZone("Asia/Tokyo");
            change.setConstraintCols("tenant_id, user_id");
            assertEquals(List.of(), change.validate(offlineDatabase()).getErrorMessages(), interval);
        }
    }

    @Test
    void setRetentionRejectsSqlInTheRetention() {
        SetRetentionChange change = new SetRetentionChange();
        change.setTableName("t");
        change.setRetention("6 months'; DROP TABLE x; --");
        change.setRetentionSchema("old\"schema");
        List<String> errors = change.validate(offlineDatabase()).getErrorMessages();
        assertTrue(errors.get(0).startsWith("setRetention.retention: '6 months'; DROP TABLE x; --' is neither"), errors::toString);
        assertTrue(errors.get(1).startsWith("setRetention.retentionSchema:"), errors::toString);
    }

    @Test
    void setRetentionWarnsThatKeepTableDefaultsToDetaching() {
        SetRetentionChange change = new SetRetentionChange();
        change.setTableName("t");
        change.setRetention("6 months");
        ValidationErrors result = change.validate(offlineDatabase());
        assertEquals(List.of(), result.getErrorMessages());
        assertTrue(result.getWarningMessages().get(0).contains("only detaches"));
        change.setRetention("none");
        assertEquals(List.of(), change.validate(offlineDatabase()).getWarningMessages());
    }

    @Test
    void configChangesMustSetSomething() {
        SetPartmanConfigChange change = new SetPartmanConfigChange();
        change.setTableName("t");
        assertTrue(change.validate(offlineDatabase()).getErrorMessages().get(0).startsWith("setPartmanConfig.*: sets nothing"));
        change.setPremake(0);
        change.setOptimizeConstraint(-1);
        List<String> errors = change.validate(offlineDatabase()).getErrorMessages();
        assertEquals(List.of("setPartmanConfig.premake: must be 1 or more, not 0",
                "setPartmanConfig.optimizeConstraint: must be 0 or more, not -1"), errors);
    }
}
