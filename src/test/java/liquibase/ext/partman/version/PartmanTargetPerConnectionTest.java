package liquibase.ext.partman.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.ext.partman.change.UpgradePartmanChange;
import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.statement.core.RawSqlStatement;

/**
 * The versions are read once per connection, and not reused once an extension may have changed:
 * after upgradePartman writes its SQL, after the changelog's own SQL creates, alters or drops an
 * extension, and never while pg_partman or pg_cron is missing (a later changeset may install it).
 */
class PartmanTargetPerConnectionTest {

    /** RawSqlStatement is deprecated, but core's sql change still sends one. */
    @SuppressWarnings("deprecation")
    @Test
    void keptPerConnectionAndForgottenWhenAnExtensionChanges() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            Database database = database(connection);
            PartmanTarget first = PartmanTargetResolver.resolve(database, null, null);
            assertTrue(PartmanTargetResolver.remembers(connection), "pg_partman and pg_cron are installed: the answer is kept");
            assertEquals(first, PartmanTargetResolver.resolve(database, null, null));

            Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database)
                    .execute(new RawSqlStatement("CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman"));
            assertFalse(PartmanTargetResolver.remembers(connection), "the changelog's own CREATE EXTENSION forgets it");

            PartmanTargetResolver.resolve(database, null, null);
            UpgradePartmanChange upgrade = new UpgradePartmanChange();
            upgrade.setVersion(first.partman().toString());
            upgrade.generateStatements(database);
            assertFalse(PartmanTargetResolver.remembers(connection), "upgradePartman forgets it");
            assertEquals(first, PartmanTargetResolver.resolve(database, null, null));
        }
    }

    @Test
    void aMissingExtensionIsAskedForAgain() throws Exception {
        String schema = "target_cache";
        try (Connection connection = DriverManager.getConnection(TestDatabase.urlOfDatabase("partman_target_cache"))) {
            SqlRows.execute(connection, "DROP EXTENSION IF EXISTS pg_partman", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            Database database = database(connection);
            assertTrue(PartmanTargetResolver.resolve(database, null, null).origin().contains("pg_partman not installed yet"));
            assertFalse(PartmanTargetResolver.remembers(connection));
            try {
                SqlRows.execute(connection, "CREATE SCHEMA " + schema, "CREATE EXTENSION pg_partman SCHEMA " + schema);
                assertEquals(schema, PartmanTargetResolver.resolve(database, null, null).partmanSchema(),
                        "installed later on the same connection: seen");
            } finally {
                SqlRows.execute(connection, "DROP EXTENSION IF EXISTS pg_partman", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Database database(Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }
}
