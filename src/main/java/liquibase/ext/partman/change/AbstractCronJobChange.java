package liquibase.ext.partman.change;

import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.CronJob;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.sql.UndoLog;

/**
 * A change to one named pg_cron job. It has no table: pg_cron identifies a job by its name and
 * the role it runs as, and keeps it in the cron database, where the changelog must run.
 */
abstract class AbstractCronJobChange extends AbstractPartmanChange {

    private String jobName;
    private String username;

    @Override
    protected void validateAttributes(AttributeRules rules) {
        rules.required("jobName", jobName);
        rules.name("jobName", jobName);
        rules.name("username", username);
        validateOtherAttributes(rules);
    }

    /** Adds the checks of the attributes besides jobName and username, where they need any. */
    protected void validateOtherAttributes(AttributeRules rules) {
    }

    protected CronJob job() {
        return new CronJob(jobName, username);
    }

    /** The change's DO block: checks it is in the cron database and keeps the job as it is, then runs the statements. */
    protected String afterRememberingJob(Database database, String statements) {
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock(SqlTemplate.of("cron/remember-and-change")
                .sql("REQUIRE_CRON_DATABASE", CronJob.requireCronDatabase())
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("REMEMBER_JOB", undo.rememberCronJob(changeKey(), job()))
                .sql("STATEMENTS", statements)
                .render());
    }

    /**
     * The rollback's DO block: reads the copy of the job into v_previous (FOUND: whether there is
     * a copy; NULL: there was no job), runs the statements, and drops the copy. Without a copy
     * there is nothing to undo, not even outside the cron database: a changeset that was marked
     * ran where pg_cron is not installed (the pack on managed PostgreSQL) rolls back quietly.
     */
    protected String withRememberedJob(Database database, String statements) {
        UndoLog undo = new UndoLog(database);
        return SqlText.doBlock(SqlTemplate.of("cron/rollback")
                .sql("REQUIRE_CRON_DATABASE", CronJob.requireCronDatabase())
                .sql("CREATE_UNDO_TABLE", undo.createIfMissing())
                .sql("RECALL_JOB", undo.recallCronJob(changeKey(), job(), "v_previous"))
                .sql("STATEMENTS", statements)
                .sql("FORGET", undo.forget(changeKey(), job()))
                .render());
    }

    /** PL/pgSQL that puts the job back as v_previous describes it. */
    protected String restorePrevious() {
        return job().restore("v_previous");
    }

    @DatabaseChangeProperty(description = "The job's name; pg_cron tells jobs apart by name and role",
            requiredForDatabase = "all", exampleValue = "partman-maintenance")
    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    @DatabaseChangeProperty(description = "Role the job runs as; default: the role running the changelog "
            + "(pg_cron lets only superusers name another role)", requiredForDatabase = "none")
    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }
}
