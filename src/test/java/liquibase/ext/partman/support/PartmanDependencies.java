package liquibase.ext.partman.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import liquibase.ext.partman.sql.SqlTemplate;

/**
 * Goal 1 of issue 25: no object outside pg_partman holds a hard dependency (pg_depend, deptype 'n')
 * on an object of the pg_partman extension, since pg_partman's update scripts drop and recreate
 * them (4.x to 5.0: part_config and part_config_sub) and such a dependency makes
 * {@code ALTER EXTENSION pg_partman UPDATE} fail. The query is upgradePartman's own check.
 */
public final class PartmanDependencies {

    private PartmanDependencies() {
    }

    /** Fails naming every object of ours that depends on one of pg_partman's, in the database of the connection. */
    public static void assertNone(Connection connection) throws SQLException {
        assertEquals(List.of(), SqlRows.strings(connection, SqlTemplate.of("upgradePartman/dependents").render()),
                "objects that would block ALTER EXTENSION pg_partman UPDATE (pg_partman's update scripts recreate its tables)");
    }
}
