package liquibase.ext.partman.change;


import liquibase.Scope;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.ext.partman.sql.NoticeLoggingStatement;
import liquibase.ext.partman.sql.ScriptStatement;
import liquibase.ext.partman.version.PartmanTarget;
import liquibase.statement.SqlStatement;

/**
 * Moves every row out of a table's DEFAULT partition into the partitions pg_partman would have
 * made for it, creating them: the cure for a DEFAULT holding rows, where maintenance fails (4.7) or silently
 * makes nothing (5.x) while rows sit in DEFAULT. Readers see every row exactly once throughout,
 * and wait only for short catalog updates; see {@link RepartitionDefaultScript} for how. Moving
 * rows to where they belong changes no data, so the rollback is empty.
 */
@DatabaseChange(name = "repartitionDefault", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Moves the rows of a table's DEFAULT partition into their own partitions, creating them")
public class RepartitionDefaultChange extends AbstractTableChange {

    private Integer batchSize;
    private String lockTimeout;
    private Boolean analyze;
    private Boolean fillGaps;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        rules.atLeastOne("batchSize", batchSize);
        rules.lockTimeout("lockTimeout", lockTimeout);
        // In one transaction the move would hold the DEFAULT's lock from its first step to its last, and
        // wait for pg_partman's maintenance while holding it: the table would stall.
        if (getChangeSet() != null && getChangeSet().isRunInTransaction()) {
            rules.error("runInTransaction", "the changeSet must say runInTransaction=\"false\": each step of the move "
                    + "commits, so that readers and writers never wait for more than a moment");
        }
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        return new RepartitionDefaultScript(target, parentTable(database), batchSize, lockTimeout, analyze, fillGaps).sql();
    }

    /**
     * A long move reports each batch in Liquibase's log while it runs, not only when it ends.
     * updateSQL writes the plain script (Liquibase would add a warning line before a statement
     * that executes itself).
     */
    @Override
    public SqlStatement[] generateStatements(Database database) {
        SqlStatement[] statements = super.generateStatements(database);
        if (Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor) {
            return statements;
        }
        for (int i = 0; i < statements.length; i++) {
            statements[i] = new NoticeLoggingStatement(((ScriptStatement) statements[i]).getSql(), RepartitionDefaultChange.class);
        }
        return statements;
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        return null;
    }

    @Override
    public String getConfirmationMessage() {
        return "Rows of the DEFAULT partition of " + getTableName() + " moved into their partitions";
    }

    @DatabaseChangeProperty(description = "Rows copied per transaction: whole partition ranges together, or a range with "
            + "more rows in slices in the order of its primary key (or of the whole row); default "
            + RepartitionDefaultScript.DEFAULT_BATCH_SIZE, requiredForDatabase = "none")
    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    @DatabaseChangeProperty(description = "Longest wait for each lock on the table before trying again, so that queries "
            + "queued behind it wait no longer ('100ms', '2s'); default " + RepartitionDefaultScript.DEFAULT_LOCK_TIMEOUT,
            requiredForDatabase = "none")
    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @DatabaseChangeProperty(description = "ANALYZE the new partitions and the DEFAULT before finishing; default false "
            + "(autovacuum analyzes them soon after)",
            requiredForDatabase = "none")
    public Boolean getAnalyze() {
        return analyze;
    }

    public void setAnalyze(Boolean analyze) {
        this.analyze = analyze;
    }

    @DatabaseChangeProperty(description = "Also create the missing partitions between the oldest and the newest partition "
            + "or moved range, which maintenance never makes; default true", requiredForDatabase = "none")
    public Boolean getFillGaps() {
        return fillGaps;
    }

    public void setFillGaps(Boolean fillGaps) {
        this.fillGaps = fillGaps;
    }
}
