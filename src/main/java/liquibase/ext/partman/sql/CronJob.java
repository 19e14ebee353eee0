package liquibase.ext.partman.sql;

/**
 * A pg_cron job as pg_cron tells jobs apart: by name and by the role it runs as. A null role
 * means the role running the changelog, which is what pg_cron's own by-name functions assume.
 * Every statement here is PL/pgSQL for the inside of a DO block run in the cron database.
 */
public record CronJob(String name, String username) {

    /**
     * Stops with a clear message unless pg_cron lives in this database. pg_cron's schema exists
     * only in the database named by cron.database_name; from any other database its jobs can be
     * neither read nor changed, only targeted (schedule_in_database's database argument).
     * pg_settings hides that setting from roles without pg_read_all_settings, hence the fallback text.
     */
    public static String requireCronDatabase() {
        return SqlTemplate.of("cron/require-cron-database").renderLines();
    }

    /** The job's row in cron.job as jsonb, or NULL when there is none. */
    public String currentRow() {
        return "(SELECT to_jsonb(j) FROM cron.job j WHERE " + matches() + ")";
    }

    /**
     * Creates the job, or updates it in place when one of that name and role exists. pg_cron's
     * schedule functions are upserts that change only schedule and command of an existing job
     * (the database as well from pg_cron 1.6.3 on), so the database and active flag are then set
     * with alter_job where they differ; the result is the same on every pg_cron version.
     *
     * @param schedule SQL text of the schedule
     * @param command  SQL text of the command
     * @param database SQL text of the database the job runs in; null: the cron database, via cron.schedule
     * @param username SQL text of the role the job runs as; null: the role running this
     * @param active   SQL text of the active flag; null: true for a new job, unchanged for an existing one
     */
    public String schedule(String schedule, String command, String database, String username, String active) {
        SqlTemplate template;
        if (database == null && username == null) {
            template = SqlTemplate.of("cron/schedule");
        } else {
            template = SqlTemplate.of("cron/schedule-in-database").sql("DATABASE", orCurrentDatabase(database))
                    .sql("USERNAME", username == null ? "NULL" : username).sql("ACTIVE", active == null ? "true" : active);
        }
        String differs = "j.database IS DISTINCT FROM " + orCurrentDatabase(database)
                + (active == null ? "" : " OR j.active IS DISTINCT FROM " + active);
        String alterations = "database := " + orCurrentDatabase(database) + (active == null ? "" : ", active := " + active);
        return template.literal("NAME", name).sql("SCHEDULE", schedule).sql("COMMAND", command).sql("ALTERATIONS", alterations)
                .sql("MATCHES", matches()).sql("DIFFERS", differs).renderLines();
    }

    /** Puts the job back as a {@link #currentRow()} copy held in a jsonb variable describes it. */
    public String restore(String previousRow) {
        return schedule(previousRow + "->>'schedule'", previousRow + "->>'command'", previousRow + "->>'database'",
                "NULLIF(" + previousRow + "->>'username', current_user)", "(" + previousRow + "->>'active')::boolean");
    }

    /** Removes the job if it is there; FOUND then says whether it was. */
    public String unschedule() {
        return "PERFORM cron.unschedule(j.jobid) FROM cron.job j WHERE " + matches() + ";\n";
    }

    /** The role as SQL: the given one, or current_user. */
    public String role() {
        return username == null ? "current_user" : SqlText.literal(username);
    }

    private String matches() {
        return "j.jobname = " + SqlText.literal(name) + " AND j.username = " + role();
    }

    private static String orCurrentDatabase(String database) {
        return database == null ? "current_database()" : database;
    }
}
