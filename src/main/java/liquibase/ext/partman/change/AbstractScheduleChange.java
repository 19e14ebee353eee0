package liquibase.ext.partman.change;

import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Creates or updates a named pg_cron job. pg_cron's schedule is an upsert by name, so the job as
 * it was (or the fact that there was none) is kept first: rollback puts a replaced job back
 * exactly, and removes a job this change created. What the job runs is the subclass's.
 */
abstract class AbstractScheduleChange extends AbstractCronJobChange {

    private String schedule;
    private String database;
    private Boolean active;

    /** The schedule and the database; a subclass adds the checks of the attributes that make the job's command. */
    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        if (rules.required("schedule", schedule)) {
            rules.cronSchedule("schedule", schedule);
        }
        rules.name("database", database);
    }

    /** The SQL the job runs, as text. */
    protected abstract String command();

    /** PL/pgSQL run before the job is scheduled, in the database the changelog runs against; empty by default. */
    protected String beforeScheduling() {
        return "";
    }

    @Override
    protected String targetProblem(PartmanTarget target) {
        if (schedule == null) {
            return null;
        }
        if (CronSchedule.isSeconds(schedule) && !target.cronAcceptsSeconds()) {
            return "schedule '" + schedule.trim() + "' needs pg_cron 1.5 or later; the target is pg_cron " + target.cron()
                    + ". Use a cron expression such as '* * * * *' (every minute).";
        }
        if (CronSchedule.usesLastDayOfMonth(schedule) && !target.cronAcceptsLastDayOfMonth()) {
            return "schedule '" + schedule.trim() + "' uses '$' (last day of the month), which needs pg_cron 1.6.1 or "
                    + "later; the target is pg_cron " + target.cron() + ". Use '@monthly' or explicit days.";
        }
        return null;
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        return afterRememberingJob(database, beforeScheduling() + job().schedule(SqlText.literal(schedule), SqlText.literal(command()),
                this.database == null ? null : SqlText.literal(this.database),
                getUsername() == null ? null : SqlText.literal(getUsername()),
                active == null ? null : SqlText.bool(active)));
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return withRememberedJob(database, SqlTemplate.of("scheduleCron/rollback").literal("JOB_NAME", getJobName())
                .sql("UNSCHEDULE", job().unschedule()).sql("RESTORE", restorePrevious()).renderLines());
    }

    @Override
    public String getConfirmationMessage() {
        return "pg_cron job " + getJobName() + " scheduled (" + schedule + ")";
    }

    @DatabaseChangeProperty(description = "Cron expression ('0 * * * *'), a macro ('@hourly') or, on pg_cron 1.5+, 'N seconds'",
            requiredForDatabase = "all", exampleValue = "0 * * * *")
    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    @DatabaseChangeProperty(description = "Database the job runs in (cron.schedule_in_database); default: the cron "
            + "database the changelog runs against", requiredForDatabase = "none")
    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    @DatabaseChangeProperty(description = "Whether the job runs; default: true for a new job, unchanged for an existing one",
            requiredForDatabase = "none")
    public Boolean getActive() {
        return active;
    }

    public void setActive(Boolean active) {
        this.active = active;
    }
}
