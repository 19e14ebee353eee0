package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Removes a named pg_cron job, whichever database it runs in. The job is kept first, so
 * rollback re-creates it as it was.
 */
@DatabaseChange(name = "unscheduleCron", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Removes a named pg_cron job (cron.unschedule)")
public class UnscheduleCronChange extends AbstractCronJobChange {

    private Boolean ifExists;

    @Override
    protected String sql(PartmanTarget target, Database database) {
        String requireJobExisted = !Boolean.FALSE.equals(ifExists) ? "" : SqlTemplate.of("unscheduleCron/require-job-existed")
                .literal("JOB_NAME", getJobName()).sql("ROLE", job().role()).render();
        return afterRememberingJob(database, SqlTemplate.of("unscheduleCron/unschedule").sql("UNSCHEDULE", job().unschedule())
                .sql("REQUIRE_JOB_EXISTED", requireJobExisted).renderLines());
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return withRememberedJob(database, SqlTemplate.of("unscheduleCron/rollback").sql("RESTORE", restorePrevious()).renderLines());
    }

    @Override
    public String getConfirmationMessage() {
        return "pg_cron job " + getJobName() + " unscheduled";
    }

    @DatabaseChangeProperty(description = "false: fail when there is no such job; default true: nothing to remove is fine",
            requiredForDatabase = "none")
    public Boolean getIfExists() {
        return ifExists;
    }

    public void setIfExists(Boolean ifExists) {
        this.ifExists = ifExists;
    }
}
