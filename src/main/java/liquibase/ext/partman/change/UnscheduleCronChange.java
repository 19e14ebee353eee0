package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.SqlText;
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
        String missingJob = Boolean.FALSE.equals(ifExists)
                ? "IF NOT FOUND THEN\n"
                + "  RAISE EXCEPTION 'pg_cron job % of role % does not exist', " + SqlText.literal(getJobName()) + ", "
                + job().role() + "\n"
                + "    USING HINT = 'Check the name in cron.job, or leave ifExists at true to accept a job that is already gone.';\n"
                + "END IF;\n"
                : "";
        return afterRememberingJob(database, job().unschedule() + missingJob);
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return withRememberedJob(database, "IF v_previous IS NOT NULL THEN\n"
                + restorePrevious()
                + "END IF;\n");
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
