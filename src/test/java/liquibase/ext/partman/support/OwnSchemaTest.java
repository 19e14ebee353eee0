package liquibase.ext.partman.support;

import org.junit.jupiter.api.BeforeEach;

/**
 * A database test class that works in a schema of its own: before each test the schema is emptied
 * of everything, pg_partman's and pg_cron's records of it included ({@link TestDatabase#resetSchema}),
 * and {@link #run} runs changesets with it as the default schema.
 */
public abstract class OwnSchemaTest {

    private final String schema;

    protected OwnSchemaTest(String schema) {
        this.schema = schema;
    }

    @BeforeEach
    protected void cleanSchema() throws Exception {
        TestDatabase.resetSchema(schema);
    }

    /** An XML changelog of these changesets, against the test database, in this class's schema. */
    protected LiquibaseRun run(String changeSets) {
        return LiquibaseRun.of("changelog.xml", LiquibaseRun.xmlChangeLog(changeSets), TestDatabase.url(), schema);
    }
}
