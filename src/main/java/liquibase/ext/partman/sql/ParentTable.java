package liquibase.ext.partman.sql;

import liquibase.database.Database;

/** A partitioned table as pg_partman names it ({@code schema.table}, unquoted) and as SQL does. */
public record ParentTable(String schema, String table) {

    /** The table a change or precondition names, in {@link #defaultSchema} when it names no schema. */
    public static ParentTable of(String schemaName, String tableName, Database database) {
        return new ParentTable(schemaName != null ? schemaName : defaultSchema(database), tableName);
    }

    /** Where a name without a schema lives: the changelog's default schema, else PostgreSQL's own default. */
    public static String defaultSchema(Database database) {
        String schema = database.getDefaultSchemaName();
        return schema != null ? schema : "public";
    }

    /** {@code schema.table}, unquoted: how pg_partman's functions and part_config.parent_table spell it. */
    public String partmanText() {
        return schema + "." + table;
    }

    /** {@link #partmanText} as a literal. */
    public String partmanName() {
        return SqlText.literal(partmanText());
    }

    /** {@code "schema"."table"} for statements. */
    public String qualified() {
        return SqlText.qualified(schema, table);
    }

    /** A literal that casts to the table's oid: {@code '"schema"."table"'}. */
    public String regclassText() {
        return SqlText.literal(qualified());
    }

    /** The PL/pgSQL that stops with a clear message unless this is a partitioned table. */
    public String requirePartitioned() {
        return """
                IF to_regclass(%1$s) IS NULL THEN
                  RAISE EXCEPTION 'table %2$s does not exist' USING HINT = 'Create it with PARTITION BY RANGE (or LIST) before this change.';
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table WHERE partrelid = to_regclass(%1$s)) THEN
                  RAISE EXCEPTION 'table %2$s is not partitioned' USING HINT = 'pg_partman manages tables declared with PARTITION BY RANGE (or LIST); recreate the table partitioned and move its rows.';
                END IF;
                """.formatted(regclassText(), messageName());
    }

    /** The PL/pgSQL that stops with a clear message unless pg_partman manages this table. */
    public String requireRegistered(String partConfig) {
        return """
                IF NOT EXISTS (SELECT 1 FROM %s WHERE parent_table = %s) THEN
                  RAISE EXCEPTION 'table %s is not managed by pg_partman' USING HINT = 'Register it first with a createPartmanParent change.';
                END IF;
                """.formatted(partConfig, partmanName(), messageName());
    }

    /** The name inside a RAISE format string, where % and ' have meanings of their own. */
    private String messageName() {
        return SqlText.raiseText(partmanText());
    }
}
