package liquibase.ext.partman.sql;

/** A partitioned table as pg_partman names it ({@code schema.table}, unquoted) and as SQL does. */
public record ParentTable(String schema, String table) {

    /** {@code 'schema.table'}: how pg_partman's functions and part_config.parent_table spell it. */
    public String partmanName() {
        return Sql.literal(schema + "." + table);
    }

    /** {@code "schema"."table"} for statements. */
    public String qualified() {
        return Sql.qualified(schema, table);
    }

    /** A literal that casts to the table's oid: {@code '"schema"."table"'}. */
    public String regclassText() {
        return Sql.literal(qualified());
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
        return Sql.raiseText(schema + "." + table);
    }
}
