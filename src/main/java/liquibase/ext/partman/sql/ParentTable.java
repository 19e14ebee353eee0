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
        return SqlTemplate.of("parent/require-partitioned").sql("REGCLASS", regclassText()).raiseText("NAME", partmanText())
                .renderLines();
    }

    /** The PL/pgSQL that stops with a clear message unless pg_partman manages this table. */
    public String requireRegistered(String partConfig) {
        return SqlTemplate.of("parent/require-registered").sql("PART_CONFIG", partConfig).sql("PARENT", partmanName())
                .raiseText("NAME", partmanText()).renderLines();
    }
}
