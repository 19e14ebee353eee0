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
        return """
                IF to_regclass('cron.job') IS NULL THEN
                  DECLARE
                    v_cron_database text := (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'cron.database_name');
                  BEGIN
                    IF v_cron_database = current_database() THEN
                      RAISE EXCEPTION 'pg_cron is not installed in database %, the one cron.database_name names', current_database()
                        USING HINT = 'Run CREATE EXTENSION pg_cron in it first.';
                    END IF;
                    RAISE EXCEPTION 'pg_cron jobs can only be managed in the database named by cron.database_name (%), not in %',
                      coalesce(v_cron_database, 'not readable by ' || current_user || ': it needs pg_read_all_settings'), current_database()
                      USING HINT = format('Run this changelog against database %s; to make a job run in %s, give scheduleCron the attribute database="%s".',
                        coalesce(v_cron_database, 'cron.database_name'), current_database(), current_database());
                  END;
                END IF;
                """;
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
        String call;
        if (database == null && username == null) {
            call = "PERFORM cron.schedule(" + SqlText.literal(name) + ", " + schedule + ", " + command + ");\n";
        } else {
            call = "PERFORM cron.schedule_in_database(" + SqlText.literal(name) + ", " + schedule + ", " + command + ", "
                    + orCurrentDatabase(database) + ", " + (username == null ? "NULL" : username) + ", "
                    + (active == null ? "true" : active) + ");\n";
        }
        String differs = "j.database IS DISTINCT FROM " + orCurrentDatabase(database)
                + (active == null ? "" : " OR j.active IS DISTINCT FROM " + active);
        String alterations = "database := " + orCurrentDatabase(database) + (active == null ? "" : ", active := " + active);
        return call
                + "PERFORM cron.alter_job(j.jobid, " + alterations + ") FROM cron.job j\n"
                + "WHERE " + matches() + " AND (" + differs + ");\n";
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
