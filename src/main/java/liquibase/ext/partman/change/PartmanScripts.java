package liquibase.ext.partman.change;

import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.version.PartmanTarget;

/** The PL/pgSQL every change that calls pg_partman starts with or wraps its calls in. */
final class PartmanScripts {

    private PartmanScripts() {
    }

    /**
     * Stops with the commands to run when pg_partman is missing from this database, or when the
     * changelog's role lacks a grant pg_partman needs (before anything is changed, rather than
     * halfway), naming every missing grant at once.
     */
    static String requirePartmanInstalled(PartmanTarget target) {
        return requirePartmanInstalled(target, false);
    }

    /**
     * @param createsTemplateTable true for a registration: create_parent makes the set's template
     *                             table in pg_partman's own schema (every version: 4.7 for 'native',
     *                             5.x unless told p_template_table 'false'), which takes CREATE there
     */
    static String requirePartmanInstalled(PartmanTarget target, boolean createsTemplateTable) {
        String createPrivilege = createsTemplateTable
                ? SqlTemplate.of("partman/require-create-privilege").literal("SCHEMA", target.partmanSchema()).render()
                : "";
        return SqlTemplate.of("partman/require-installed").insideLiteral("SCHEMA_NAME", target.partmanSchemaIdentifier())
                .literal("SCHEMA", target.partmanSchema()).insideLiteral("SCHEMA_INSIDE_LITERAL", target.partmanSchema())
                .sql("CREATE_PRIVILEGE", createPrivilege).renderLines();
    }

    /**
     * Makes pg_partman's calls compute boundaries in the target's time zone, the zone maintenance
     * runs in, rather than the session's (which the JDBC driver sets to the JVM's).
     *
     * @param local true: until the transaction ends; false: for the session (a procedure that commits)
     */
    static String switchToTimeZone(PartmanTarget target, boolean local) {
        return SqlTemplate.of("partman/set-time-zone").literal("TIME_ZONE", target.timeZone()).bool("LOCAL", local).renderLines();
    }
}
