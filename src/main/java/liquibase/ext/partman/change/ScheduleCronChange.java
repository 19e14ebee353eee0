package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.serializer.LiquibaseSerializable.SerializationType;

/**
 * Creates or updates a named pg_cron job. pg_cron's schedule is an upsert by name, so the job as
 * it was (or the fact that there was none) is kept first: rollback puts a replaced job back
 * exactly, and removes a job this change created.
 */
@DatabaseChange(name = "scheduleCron", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Creates or updates a named pg_cron job (cron.schedule / cron.schedule_in_database)")
public class ScheduleCronChange extends AbstractCronJobChange {

    private String schedule;
    private String command;
    private String database;
    private Boolean active;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        if (rules.required("schedule", schedule)) {
            rules.cronSchedule("schedule", schedule);
        }
        if (rules.required("command", command) && command.indexOf('\0') >= 0) {
            rules.error("command", "contains the NUL character, which PostgreSQL text cannot hold");
        }
        rules.name("database", database);
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
        return afterRememberingJob(database, job().schedule(SqlText.literal(schedule), SqlText.literal(command),
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

    @DatabaseChangeProperty(description = "SQL the job runs, stored unchanged; as an attribute or as the element's text",
            requiredForDatabase = "all", serializationType = SerializationType.DIRECT_VALUE,
            exampleValue = "CALL partman.run_maintenance_proc()")
    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
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
