package liquibase.ext.partman.sql;

import java.util.List;

import liquibase.database.Database;

/**
 * The table that lets rollback put a policy back exactly. Before a change updates pg_partman's
 * configuration it copies the row as it was into this table, keyed by the change; its rollback
 * restores the columns it changed from that copy and deletes the copy. Living in the database,
 * next to DATABASECHANGELOG, it works for rollbackSQL scripts too, and each changeset keeps its
 * own copy, so rolling back the third change to a table restores what the second one set.
 * <p>
 * pg_cron jobs are kept the same way, with action 'cron job': the parent_table column then holds
 * the job's name (the column keeps its name so that existing undo tables stay valid), and
 * previous holds the cron.job row as it was, or NULL when there was no such job.
 */
public final class UndoLog {

    public static final String TABLE_NAME = "partman_change_undo";

    private static final String CRON_JOB = "cron job";

    private final String table;

    public UndoLog(Database database) {
        String schema = database.getLiquibaseSchemaName();
        this.table = SqlText.qualified(schema != null ? schema : ParentTable.defaultSchema(database), TABLE_NAME);
    }

    /** PL/pgSQL that creates the table on first use (quietly: no "already exists" notice). */
    public String createIfMissing() {
        return SqlTemplate.of("undo/create-if-missing").literal("TABLE_TEXT", table).sql("TABLE", table).renderLines();
    }

    /**
     * Keeps the configuration row as it is now. A rerun of the same changeset keeps the first
     * copy: the values in force before the changeset ever ran.
     */
    public String rememberConfig(String changeKey, ParentTable parent, String partConfig) {
        return SqlTemplate.of("undo/remember-config").sql("TABLE", table).literal("CHANGE_KEY", changeKey)
                .sql("PART_CONFIG", partConfig).sql("PARENT", parent.partmanName()).renderLines();
    }

    /** Notes that this change registered the table, so that its rollback may unregister it. */
    public String rememberRegistration(String changeKey, ParentTable parent) {
        return SqlTemplate.of("undo/remember-registration").sql("TABLE", table).literal("CHANGE_KEY", changeKey)
                .sql("PARENT", parent.partmanName()).renderLines();
    }

    /** A condition that is true when this change registered the table. */
    public String registeredBy(String changeKey, ParentTable parent) {
        return "EXISTS (SELECT 1 FROM " + table + " WHERE change_key = " + SqlText.literal(changeKey)
                + " AND parent_table = " + parent.partmanName() + " AND action = 'registered')";
    }

    /** Puts back the given part_config columns as they were before the change. */
    public String restoreConfig(String changeKey, ParentTable parent, String partConfig, List<String> columns) {
        return SqlTemplate.of("undo/restore-config").sql("PART_CONFIG", partConfig)
                .list("ASSIGNMENTS", columns.stream().map(column -> SqlText.identifier(column) + " = r." + SqlText.identifier(column)).toList())
                .sql("TABLE", table).literal("CHANGE_KEY", changeKey).sql("PARENT", parent.partmanName()).renderLines();
    }

    public String forget(String changeKey, ParentTable parent) {
        return forgetSubject(changeKey, parent.partmanName());
    }

    /** Keeps the job as it is now, or notes that there is none. A rerun keeps the first copy. */
    public String rememberCronJob(String changeKey, CronJob job) {
        return remember(changeKey, job.name(), CRON_JOB, job.currentRow());
    }

    /**
     * Reads the copy {@link #rememberCronJob} kept into a jsonb variable; FOUND then says whether
     * there was a copy at all, and a NULL value that there was no job.
     */
    public String recallCronJob(String changeKey, CronJob job, String variable) {
        return recall(changeKey, job.name(), CRON_JOB, variable);
    }

    public String forget(String changeKey, CronJob job) {
        return forget(changeKey, job.name());
    }

    /**
     * Keeps what the given SQL expression (jsonb) says about a database object before the change
     * replaces it; the parent_table column holds the object's name. A rerun keeps the first copy.
     */
    public String remember(String changeKey, String subject, String action, String previous) {
        return SqlTemplate.of("undo/remember").sql("TABLE", table).literal("CHANGE_KEY", changeKey)
                .literal("SUBJECT", subject).literal("ACTION", action).sql("PREVIOUS", previous).renderLines();
    }

    /** Reads the copy {@link #remember} kept into a jsonb variable; FOUND then says whether there was one. */
    public String recall(String changeKey, String subject, String action, String variable) {
        return "SELECT previous INTO " + variable + " FROM " + table + " WHERE change_key = " + SqlText.literal(changeKey)
                + " AND parent_table = " + SqlText.literal(subject) + " AND action = " + SqlText.literal(action) + ";\n";
    }

    public String forget(String changeKey, String subject) {
        return forgetSubject(changeKey, SqlText.literal(subject));
    }

    private String forgetSubject(String changeKey, String subject) {
        return "DELETE FROM " + table + " WHERE change_key = " + SqlText.literal(changeKey)
                + " AND parent_table = " + subject + ";\n";
    }
}
