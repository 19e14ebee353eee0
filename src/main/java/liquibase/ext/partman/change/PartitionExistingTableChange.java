package liquibase.ext.partman.change;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * Turns a plain table in use into a pg_partman-managed partitioned table of the same name, online:
 * a partitioned table is made beside it and registered, a trigger logs every change to the plain
 * table while slices of at most batchSize rows are copied and the log applied to the copies, and
 * one short transaction, whose locks wait at most lockTimeout, swaps the names. The plain table is
 * kept as {@code <table>_partman_old}, kept exact by a trigger on the new table, for the rollback,
 * which swaps back. The table's triggers, policies and row-level security move to the partitioned table in the swap
 * (so that the copy fires none of them) and back in the rollback. How and why nothing is lost:
 * docs/design/partition-existing-table.md.
 * The attributes of the registration are createPartmanParent's.
 */
@DatabaseChange(name = "partitionExistingTable", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Turns a plain table in use into a partitioned table managed by pg_partman, online; rollback turns it back")
public class PartitionExistingTableChange extends CreatePartmanParentChange {

    static final int DEFAULT_BATCH_SIZE = 100_000;
    static final String DEFAULT_LOCK_TIMEOUT = "100ms";
    /** The longest table name whose run names (the longest suffixes, "_partman_back" and "_partman_cols", have 13 bytes) fit PostgreSQL's 63. */
    static final int MAX_TABLE_NAME_BYTES = SqlText.MAX_NAME_BYTES - 13;
    /** The steps of a conversion, in the order script.sql runs them, each a template of its own. */
    static final List<String> STEPS = List.of("inspect", "run-lock", "leftovers", "create", "start-logging", "copy", "swap");

    private static final String FOLDER = "partitionExistingTable/";

    private Integer batchSize;
    private String lockTimeout;

    @Override
    protected void validateOtherAttributes(AttributeRules rules) {
        super.validateOtherAttributes(rules);
        if ("list".equals(getType())) {
            rules.error("type", "'list' is not supported: partitionExistingTable makes range partitions");
        }
        rules.atLeastOne("batchSize", batchSize);
        rules.lockTimeout("lockTimeout", lockTimeout);
        if (getTableName() != null && getTableName().getBytes(StandardCharsets.UTF_8).length > MAX_TABLE_NAME_BYTES) {
            rules.error("tableName", "has more than " + MAX_TABLE_NAME_BYTES + " bytes: the conversion names its tables "
                    + "<tableName>_partman_new and <tableName>_partman_old, which must fit PostgreSQL's 63. Rename the table first.");
        }
        // In one transaction the conversion would hold the table's locks from its first step to its last.
        if (getChangeSet() != null && getChangeSet().isRunInTransaction()) {
            rules.error("runInTransaction", "the changeSet must say runInTransaction=\"false\": each step of the conversion "
                    + "commits, so that readers and writers never wait for more than a moment");
        }
    }

    @Override
    protected String sql(PartmanTarget target, Database database) {
        Map<String, String> values = values(target, database);
        for (String step : STEPS) {
            values.put(placeholder(step), template(step).sqlFrom(values).renderLines());
        }
        return SqlText.doBlock(template("script").sqlFrom(values).render());
    }

    @Override
    protected String rollbackSql(PartmanTarget target, Database database) {
        Map<String, String> values = values(target, database);
        values.put("RUN_LOCK", template("run-lock").sqlFrom(values).renderLines());
        values.put("MAY_ALTER_BOTH", mayAlter("the rollback of partitionExistingTable", "ARRAY[v_new::oid, v_table::oid]"));
        values.put("DEPENDENTS_OF_NEW", template("rollback-dependents").sql("DEPENDENTS", template("dependents")
                .sql("RELATIONS", "ARRAY(SELECT relid::oid FROM pg_catalog.pg_partition_tree(v_new))").sqlFrom(values).render()).renderLines());
        values.put("RECONCILE", template("reconcile").sql("CUT", template("cut")
                .sql("ROWS", "CASE v_direction WHEN 1 THEN 'ONLY ' || v_table::text ELSE v_new::text END").render())
                .sqlFrom(values).renderLines());
        return SqlText.doBlock(template("rollback").sqlFrom(values).render());
    }

    /** Each step as the script runs it, by name: for review. */
    Map<String, String> steps(PartmanTarget target, Database database) {
        Map<String, String> values = values(target, database);
        Map<String, String> steps = new LinkedHashMap<>();
        for (String step : STEPS) {
            steps.put(step, template(step).sqlFrom(values).renderLines());
        }
        return steps;
    }

    /** What the templates share: names, settings, pg_partman's functions, and the parts several steps run. */
    private Map<String, String> values(PartmanTarget target, Database database) {
        ParentTable parent = parentTable(database);
        ParentTable fresh = new ParentTable(parent.schema(), parent.table() + "_partman_new");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("CHECKS", PartmanScripts.requirePartmanInstalled(target, true));
        values.put("SCHEMA", SqlText.literal(parent.schema()));
        values.put("TABLE", SqlText.literal(parent.table()));
        values.put("NEW_TABLE", SqlText.literal(fresh.table()));
        values.put("OLD_TABLE", SqlText.literal(parent.table() + "_partman_old"));
        values.put("LOG_TABLE", SqlText.literal(parent.table() + "_partman_log"));
        values.put("BACK", SqlText.literal(parent.table() + "_partman_back"));
        values.put("COLUMNS_VIEW", SqlText.literal(parent.table() + "_partman_cols"));
        values.put("PARENT", parent.partmanName());
        values.put("NEW_PARENT", fresh.partmanName());
        values.put("CONTROL", SqlText.literal(getControlColumn()));
        values.put("START_PARTITION", SqlText.literal(getStartPartition()));
        values.put("BATCH_SIZE", SqlText.integer(batchSize == null ? DEFAULT_BATCH_SIZE : batchSize));
        values.put("LOCK_TIMEOUT", SqlText.literal(lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout.trim()));
        // A template table the changelog named is the user's: the run neither changes nor drops it.
        values.put("OWN_TEMPLATE", SqlText.bool(getTemplateTable() == null));
        values.put("PARTMAN_SCHEMA", SqlText.literal(target.partmanSchema()));
        values.put("AUTOMATIC_MAINTENANCE", SqlText.literal(Boolean.FALSE.equals(getAutomaticMaintenance()) ? "off" : "on"));
        for (String function : List.of("part_config", "part_config_sub", "check_control_type", "show_partitions",
                "check_name_length", "create_partition_time", "create_partition_id")) {
            values.put(function.toUpperCase(Locale.ROOT), target.partmanObject(function));
        }
        values.put("CREATE_PARENT", target.createParentFunction());
        values.put("ARGUMENTS", String.join(", ", createParentArguments(target, fresh, "v_parent_start")));
        // The run makes one partition at a time: an ANALYZE of the parent after each would read all the others each time.
        values.put("SKIP_ANALYZE", target.createPartitionAnalyzesParent() ? ", p_analyze := false" : "");
        // Rows travel through the log as text, written and read with repartitionDefault's fixed settings.
        String session = SqlTemplate.of("repartitionDefault/session")
                .sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, true)).renderLines();
        values.put("SESSION", session);
        values.put("COMMIT", SqlTemplate.of("repartitionDefault/commit").sql("SESSION", session).renderLines());
        // The conversion's own triggers are those calling its functions: a user's trigger may have their names, not those.
        values.put("OWN_TRIGGER", template("own-trigger").sqlFrom(values).render());
        values.put("COMMIT_WHEN_MANY_LOCKS", RepartitionDefaultScript.commitWhenManyLocks(values, ""));
        values.put("PARTITION_INDEX_NAMES", template("partition-index-names").render());
        values.put("REFUSE_REPLICA_IDENTITY_INDEX", RepartitionDefaultScript.refuseReplicaIdentityIndex(target, "partitionExistingTable", "v_table", "v_name"));
        values.put("PARTITION_REPLICA_IDENTITY", target.childInheritsReplicaIdentity() ? "" : template("partition-replica-identity").render());
        // The triggers, policies and row-level security the swap carries to the partitioned table, the rollback back.
        values.put("USER_TRIGGER", template("user-trigger").sqlFrom(values).render());
        values.put("GRANTS_FROM_PLAIN", grants("TABLE", "v_table", "v_new_name"));
        values.put("GRANTS_FROM_NEW", grants("TABLE", "v_new", "v_table"));
        values.put("NO_PROGRESS", template("no-progress").sqlFrom(values).renderLines());
        values.put("CARRY_FROM_PLAIN", template("carry").sql("FROM", "v_table").sqlFrom(values).renderLines());
        values.put("CARRY_FROM_NEW", template("carry").sql("FROM", "v_new").sqlFrom(values).renderLines());
        values.put("UNREGISTER_NEW", unregisterByHand(target, fresh));
        values.put("DROP_NEW", template("drop-new").sqlFrom(values).renderLines());
        values.put("COLUMNS_OF_NEW", template("columns").sql("OF", "v_new").render());
        values.put("COLUMNS_OF_OLD", template("columns").sql("OF", "v_table").render());
        values.put("SHAPE", template("shape").sql("KEY_INDEX", SqlTemplate.of("repartitionDefault/key-index").sql("OF", "v_table").render())
                .renderLines());
        values.put("DEPENDENTS", template("dependents").sql("RELATIONS", "ARRAY[v_table::oid]").sqlFrom(values).renderLines());
        values.put("MAY_ALTER_PLAIN", mayAlter("partitionExistingTable", "ARRAY[v_table::oid]"));
        values.put("CUT", template("cut").sql("ROWS", "'ONLY ' || v_name").renderLines());
        values.put("LOCK_TABLE_FOR_CLEAN_UP", lock("v_name", "EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_name);"));
        values.put("CLEAN_UP", template("clean-up").sqlFrom(values).renderLines());
        values.put("ABANDON", template("abandon").sqlFrom(values).renderLines());
        values.put("LOCK_TABLE_FOR_TRIGGER", lock("v_name", "EXECUTE format('LOCK TABLE ONLY %s IN SHARE ROW EXCLUSIVE MODE', v_name);"));
        values.put("CATCH_UP", template("catch-up").sql("ON_FAILURE", "v_failure := SQLERRM;")
                .sql("COMMIT_APPLIED", values.get("COMMIT")).sqlFrom(values).renderLines());
        // Inside the swap, whose own handler undoes the try.
        values.put("APPLY_REST_OF_LOG", template("catch-up").sql("ON_FAILURE", "RAISE;").sql("ABANDON", "")
                .sql("COMMIT_APPLIED", "").sqlFrom(values).renderLines());
        values.put("ADD_FOREIGN_KEY", lock("v_oid::regclass",
                "EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', v_new_name, v_text, v_other_text);"));
        // The swap gives the new table the plain one's index and sequence names; the rollback gives them back.
        // The plain table's index and sequence names are set aside under their oids: unique, and short whatever the
        // names (two names alike in their first bytes, or multibyte names, would otherwise collide once shortened).
        values.put("MOVE_NAMES", template("move-names").sql("FROM", "v_table").sql("TO", "v_new")
                .sql("SEQUENCE_GRANTS", grants("SEQUENCE", "v_oid", "v_other::regclass"))
                .sql("SET_ASIDE", "'partman_old_' || v_oid").render());
        values.put("MOVE_NAMES_BACK", template("move-names").sql("FROM", "v_new").sql("TO", "v_table")
                .sql("SEQUENCE_GRANTS", grants("SEQUENCE", "v_oid", "v_other::regclass"))
                .sql("SET_ASIDE", "'partman_dropped_' || v_oid").render());
        return values;
    }

    /** Gives a table or sequence exactly the grants of another. */
    private static String grants(String kind, String from, String to) {
        return template("grants").sql("KIND", kind).sql("FROM", from).sql("TO", to).renderLines();
    }

    /** Refuses a role that may not do to the tables what only their owner may. */
    private static String mayAlter(String change, String relations) {
        return template("may-alter").raiseText("CHANGE", change).sql("RELATIONS", relations).renderLines();
    }

    /** Takes locks waiting at most lockTimeout at a time, retrying for up to a minute. */
    private static String lock(String what, String statements) {
        return lock("partitionExistingTable", what, statements);
    }

    /**
     * The same, for another change on a converted table: the script declares v_lock_timeout, v_lock_started and
     * v_table (the table whose lock holders the error names).
     */
    static String lock(String change, String what, String statements) {
        return template("lock").raiseText("CHANGE", change).sql("WHAT", what).sql("STATEMENTS", statements).renderLines();
    }

    private static String placeholder(String step) {
        return step.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static SqlTemplate template(String name) {
        return SqlTemplate.of(FOLDER + name);
    }

    @Override
    public String getConfirmationMessage() {
        return "Table " + getTableName() + " is now partitioned by " + getControlColumn() + " and managed by pg_partman; "
                + "the plain table is kept as " + getTableName() + "_partman_old for the rollback";
    }

    @DatabaseChangeProperty(description = "Rows copied per transaction, in the order of the table's primary key; also the "
            + "most logged changes applied per transaction; default " + DEFAULT_BATCH_SIZE, requiredForDatabase = "none")
    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    @DatabaseChangeProperty(description = "Longest wait for each lock on the table before trying again, so that queries "
            + "queued behind it wait no longer ('100ms', '2s'); default " + DEFAULT_LOCK_TIMEOUT, requiredForDatabase = "none")
    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }
}
