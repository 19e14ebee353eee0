package liquibase.ext.partman.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Goal 1 of issue 25: no object outside pg_partman holds a hard dependency (pg_depend, deptype 'n')
 * on an object of the pg_partman extension, since pg_partman's update scripts drop and recreate
 * them (4.x to 5.0: part_config and part_config_sub) and such a dependency makes
 * {@code ALTER EXTENSION pg_partman UPDATE} fail. pg_partman's own objects are its members and what
 * belongs to them (a view's rule, a table's row type, constraints, indexes, defaults).
 */
public final class PartmanDependencies {

    private static final String HARD_DEPENDENCIES_ON_PARTMAN = """
            WITH RECURSIVE partman_objects(classid, objid) AS (
                SELECT d.classid, d.objid
                FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'pg_partman'
                UNION
                SELECT d.classid, d.objid
                FROM pg_catalog.pg_depend d JOIN partman_objects o ON d.refclassid = o.classid AND d.refobjid = o.objid
                WHERE d.deptype IN ('i', 'a')
            )
            SELECT format('%s depends on %s', pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid),
                          pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid))
            FROM pg_catalog.pg_depend d
            JOIN partman_objects theirs ON theirs.classid = d.refclassid AND theirs.objid = d.refobjid
            WHERE d.deptype = 'n'
              AND NOT EXISTS (SELECT 1 FROM partman_objects o WHERE o.classid = d.classid AND o.objid = d.objid)
            ORDER BY 1
            """;

    private PartmanDependencies() {
    }

    /** Fails naming every object of ours that depends on one of pg_partman's, in the database of the connection. */
    public static void assertNone(Connection connection) throws SQLException {
        assertEquals(List.of(), SqlRows.strings(connection, HARD_DEPENDENCIES_ON_PARTMAN),
                "objects that would block ALTER EXTENSION pg_partman UPDATE (pg_partman's update scripts recreate its tables)");
    }
}
