package liquibase.ext.partman.change;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.ext.partman.sql.MaintenanceProcedure;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;

/**
 * Schedules pg_partman's maintenance through the procedure installPartmanMaintenance installs:
 * a pg_cron job whose command is one CALL of it with the bound on lock waits, the time deferred
 * sets are retried for, and the analyze flag. Attributes left out take the procedure's defaults.
 * Everything else, rollback included, is scheduleCron's (see {@link AbstractScheduleChange}).
 */
@DatabaseChange(name = "schedulePartmanMaintenance", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Schedules pg_partman maintenance with bounded lock waits: a pg_cron job calling partman_maintenance")
public class SchedulePartmanMaintenanceChange extends AbstractScheduleChange {

    private String schemaName;
    private String lockTimeout;
    private String retryFor;
    private Boolean analyze;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        super.validateOtherAttributes(rules);
        rules.required("schemaName", schemaName);
        rules.identifier("schemaName", schemaName);
        rules.lockTimeout("lockTimeout", lockTimeout);
        rules.duration("retryFor", retryFor);
    }

    @Override
    protected String command() {
        return procedure().call(lockTimeout == null ? null : SqlText.literal(lockTimeout.trim()),
                retryFor == null ? null : SqlText.literal(retryFor.trim()), analyze == null ? null : SqlText.bool(analyze));
    }

    /** Where the job runs in this database, its procedure must be here already; elsewhere this cannot be told. */
    @Override
    protected String beforeScheduling() {
        MaintenanceProcedure procedure = procedure();
        return SqlTemplate.of("schedulePartmanMaintenance/require-procedure")
                .sql("JOB_DATABASE", getDatabase() == null ? "current_database()" : SqlText.literal(getDatabase()))
                .literal("SIGNATURE_TEXT", procedure.signature()).literal("PROCEDURE_TEXT", procedure.name())
                .insideLiteral("SCHEMA_INSIDE_LITERAL", schemaName).renderLines();
    }

    private MaintenanceProcedure procedure() {
        return new MaintenanceProcedure(schemaName);
    }

    @DatabaseChangeProperty(description = "Schema installPartmanMaintenance put the procedure partman_maintenance in",
            requiredForDatabase = "all", exampleValue = "app")
    public String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(description = "Longest wait for a lock of one partition set's maintenance, as PostgreSQL's "
            + "lock_timeout ('200ms', '1s'); the application waits no longer behind it. Default: 200ms",
            requiredForDatabase = "none", exampleValue = "200ms")
    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @DatabaseChangeProperty(description = "How long a run retries the sets that could not get their locks, with growing "
            + "pauses (1 s, doubling, at most 8 s); the rest waits for the next run. Keep it shorter than the schedule's "
            + "interval. Default: 5 minutes", requiredForDatabase = "none", exampleValue = "5 minutes")
    public String getRetryFor() {
        return retryFor;
    }

    public void setRetryFor(String retryFor) {
        this.retryFor = retryFor;
    }

    @DatabaseChangeProperty(description = "pg_partman's p_analyze: whether maintenance runs ANALYZE on a parent after "
            + "creating partitions for it; default: pg_partman's", requiredForDatabase = "none")
    public Boolean getAnalyze() {
        return analyze;
    }

    public void setAnalyze(Boolean analyze) {
        this.analyze = analyze;
    }
}
