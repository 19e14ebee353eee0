package liquibase.ext.partman.change;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * The PL/pgSQL of {@link RepartitionDefaultChange}: {@code sql/repartitionDefault/script.sql}, which
 * runs the named steps (each a file of that folder, see {@link #STEPS}) in a loop of passes.
 * <p>
 * The rows stay in the DEFAULT, where readers and writers use them as before, while a trigger logs
 * every change to them and slices of at most batchSize rows are copied into the new partitions,
 * made beside the table; the logged changes are applied to the copies. One short transaction, the
 * swap, then detaches the old DEFAULT whole and attaches a new, empty DEFAULT and the partitions.
 * Nothing is deleted: the old DEFAULT is dropped only once a read of it outside any lock proves that
 * the partitions and the new DEFAULT received exactly its rows; otherwise it is kept and the run
 * stops. Every step commits (runInTransaction="false"; the change refuses a changeset transaction).
 */
final class RepartitionDefaultScript {

    /** Prefix of the trigger, staging table, log table, function and kept old DEFAULT of a run; the backend's pid follows. */
    static final String RUN_PREFIX = "partman_repartition_";
    /** The temporary bounds constraint of a partition until it is attached. */
    static final String BOUNDS_CONSTRAINT = "partman_repartition_bounds";
    static final int DEFAULT_BATCH_SIZE = 100_000;
    static final String DEFAULT_LOCK_TIMEOUT = "100ms";
    /**
     * The most rows a split step moves out of a chunk while it holds the table: about as many as it
     * moves in {@link #SPLIT_STEP_HOLD_MS}. A range with more is a target of its own, never in a chunk.
     */
    static final int SPLIT_STEP_ROWS = 5_000;
    /**
     * How long a lock request waits at first (lockTimeout when shorter): a request that waits queues the application's
     * queries behind it, so the short transactions try briefly for a second before they wait lockTimeout. A query queued
     * behind a split step waits this plus the step's hold (SPLIT_STEP_HOLD_MS), about 75 ms; shorter tries rarely find
     * the table free beside a reader that re-plans across every partition after each step (measured: at 1,000
     * partitions 10 ms tries spent 60% of the move waiting, 30 ms tries 25 to 40%).
     */
    static final long FIRST_LOCK_TIMEOUT_MS = 25;
    /** How long a split step aims to hold the table: the number of ranges a step moves follows it. */
    static final int SPLIT_STEP_HOLD_MS = 50;
    /**
     * How many locks a transaction that makes partitions and chunks beside the table (or partitionExistingTable's
     * partitions, or drops them) may hold before it commits: one more table (with its TOAST table, indexes and type)
     * stays within the default max_locks_per_transaction (64).
     */
    static final int MAKE_LOCKS = 40;
    /** The steps of a run, in the order the script runs them, each a template of its own. */
    static final List<String> STEPS = List.of("inspect", "run-lock", "leftovers", "start-logging", "plan", "chunks", "slices",
            "partitions", "copy", "swap", "prove", "split");

    private static final String TABLE_LOCK_HOLDERS = "l.relation IN (v_parent, v_default)";
    private static final String FOLDER = "repartitionDefault/";

    private final PartmanTarget target;
    private final ParentTable parent;
    private final int batchSize;
    private final String lockTimeout;
    private final boolean analyze;
    private final boolean fillGaps;

    RepartitionDefaultScript(PartmanTarget target, ParentTable parent, Integer batchSize, String lockTimeout,
                             Boolean analyze, Boolean fillGaps) {
        this.target = target;
        this.parent = parent;
        this.batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
        this.lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout.trim();
        this.analyze = Boolean.TRUE.equals(analyze);
        this.fillGaps = !Boolean.FALSE.equals(fillGaps);
    }

    String sql() {
        Map<String, String> values = stepValues();
        for (String step : STEPS) {
            values.put(step.toUpperCase(Locale.ROOT).replace('-', '_'), render(step, values));
        }
        return SqlText.doBlock(template("script").sqlFrom(values)
                .sql("CHECKS", PartmanScripts.requirePartmanInstalled(target) + parent.requirePartitioned()
                        + parent.requireRegistered(target.partmanObject("part_config")))
                .literal("LOCK_TIMEOUT", lockTimeout)
                .literal("FIRST_LOCK_TIMEOUT", Math.min(FIRST_LOCK_TIMEOUT_MS, AttributeRules.lockTimeoutMillis(lockTimeout)) + "ms")
                .number("BATCH_SIZE", batchSize)
                .bool("FILL_GAPS", fillGaps)
                .sql("PARENT_REGCLASS", parent.regclassText())
                .sql("ANALYZE", analyze ? template("analyze").sqlFrom(values).renderLines() : "")
                .render());
    }

    /** Each step as the script runs it, by name: for review, and for tests that read one step alone. */
    Map<String, String> steps() {
        Map<String, String> values = stepValues();
        Map<String, String> steps = new LinkedHashMap<>();
        for (String step : STEPS) {
            steps.put(step, render(step, values));
        }
        return steps;
    }

    private static String render(String step, Map<String, String> values) {
        return template(step).sqlFrom(values).renderLines();
    }

    /**
     * What the steps share: names, settings, pg_partman's functions, and the smaller parts several
     * steps run (a commit, a catch-up of the log, the clean-up of a run, the proof, waits for locks).
     */
    private Map<String, String> stepValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("SCHEMA", SqlText.literal(parent.schema()));
        values.put("TABLE", SqlText.literal(parent.table()));
        values.put("PARENT", parent.partmanName());
        values.put("RUN_PREFIX", SqlText.literal(RUN_PREFIX));
        values.put("BOUNDS", insideLiteral(BOUNDS_CONSTRAINT));
        values.put("SPLIT_STEP_ROWS", SqlText.integer(SPLIT_STEP_ROWS));
        values.put("SPLIT_STEP_HOLD_MS", SqlText.integer(SPLIT_STEP_HOLD_MS));
        values.put("LIKE_OPTIONS", target.childTableLikeOptions());
        for (String function : List.of("part_config", "part_config_sub", "show_partition_name", "show_partitions",
                "show_partition_info", "check_control_type", "check_name_length", "inherit_template_properties", "apply_privileges", "apply_constraints")) {
            values.put(function.toUpperCase(Locale.ROOT), target.partmanObject(function));
        }
        values.put("ROW_SUMS", template("row-sums").render());
        values.put("KEY_INDEX", template("key-index").sql("OF", "v_default").render());
        values.put("SESSION", template("session").sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, true)).renderLines());
        values.put("COMMIT", template("commit").sqlFrom(values).renderLines());
        values.put("LOCK_MAINTENANCE", template("maintenance-lock").sql("TRY_LOCK", "pg_try_advisory_xact_lock").sqlFrom(values).renderLines());
        // Held by the session across the split's transactions, and released however the split ends.
        values.put("HOLD_MAINTENANCE", template("maintenance-lock").sql("TRY_LOCK", "pg_try_advisory_lock").sqlFrom(values).renderLines());
        values.put("RELEASE_MAINTENANCE", template("release-maintenance").renderLines());
        values.put("COMMIT_WHEN_MANY_LOCKS", commitWhenManyLocks(values, ""));
        values.put("COMMIT_WHEN_MANY_LOCKS_HOLDING_MAINTENANCE", commitWhenManyLocks(values, values.get("LOCK_MAINTENANCE")));
        values.put("LOCK_FOR_TRIGGER", lock("v_default_name", TABLE_LOCK_HOLDERS,
                lockTable("ACCESS SHARE", "v_parent_name"), lockTable("SHARE ROW EXCLUSIVE", "v_default_name")));
        values.put("LOCK_ALL", lock("array_to_string(v_locking, ', ')", "l.relation = ANY (v_locking::oid[])",
                lockTable("ACCESS EXCLUSIVE", "array_to_string(v_locking, ', ONLY ')")));
        values.put("LOCK_REFERENCED", lock("v_referenced", "l.relation IN (v_referenced::regclass, v_partition::regclass)",
                lockTable("ACCESS EXCLUSIVE", "v_partition"), lockTable("SHARE ROW EXCLUSIVE", "v_referenced")));
        values.put("LOCK_BOUNDED", lock("v_bounded::text", "l.relation = v_bounded", lockTable("ACCESS EXCLUSIVE", "v_bounded")));
        values.put("CLEAN_UP", template("clean-up").sqlFrom(values).renderLines());
        values.put("DROP_BOUNDS", template("drop-bounds").sqlFrom(values).renderLines());
        values.put("ABANDON", template("abandon").sqlFrom(values).renderLines());
        values.put("CATCH_UP", template("catch-up").sql("COMMIT_APPLIED", values.get("COMMIT"))
                .sql("ON_FAILURE", "v_failure := SQLERRM;\n").sqlFrom(values).renderLines());
        // Inside the swap, whose own handler undoes the try.
        values.put("APPLY_REST_OF_LOG", template("catch-up").sql("COMMIT_APPLIED", "").sql("ON_FAILURE", "RAISE;\n")
                .sql("ABANDON", "").sqlFrom(values).renderLines());
        values.put("NAME_OF_RANGE", partitionName(values, "v_name", "v_bounds[k]"));
        values.put("NAME_OF_STEP_RANGE", partitionName(values, "v_name", "v_step_lows[k]"));
        values.put("MAKE_TARGET", makePartition(values, "v_names[k]", "v_lows[k]", "v_highs[k]"));
        values.put("MAKE_STEP_PARTITION", makePartition(values, "v_step_names[k]", "v_step_lows[k]", "v_step_highs[k]"));
        values.put("FRESH_PUBLICATIONS", publications("v_run || '_default'"));
        values.put("REFUSE_REPLICA_IDENTITY_INDEX", refuseReplicaIdentityIndex(target, "repartitionDefault", "v_parent", "v_parent_name"));
        values.put("REPLICA_IDENTITY", !target.childInheritsReplicaIdentity() ? "" : template("replica-identity")
                .sql("INHERIT_REPLICA_IDENTITY", target.partmanObject("inherit_replica_identity")).sqlFrom(values).renderLines());
        values.put("PROVE", template("prove").sqlFrom(values).renderLines());
        values.put("SPLIT", template("split").sqlFrom(values).renderLines());
        return values;
    }

    /** A name the templates write inside a literal (a format string, a constraint name in a query). */
    private static String insideLiteral(String text) {
        String literal = SqlText.literal(text);
        return literal.substring(1, literal.length() - 1);
    }

    private static SqlTemplate template(String name) {
        return SqlTemplate.of(FOLDER + name);
    }

    /**
     * Waits for locks at most lockTimeout at a time, so that queries queued behind a request
     * never wait longer than that; retries for up to a minute, then names the sessions in the way.
     */
    private static String lock(String what, String holders, String... lockTables) {
        return template("lock").sql("WHAT", what).sql("HOLDERS", holders)
                .sql("LOCK_TABLES", String.join("", lockTables)).renderLines();
    }

    private static String lockTable(String mode, String tableVariable) {
        return template("lock-table").sql("MODE", mode).sql("TABLE", tableVariable).renderLines();
    }

    /** Commits (values' COMMIT, then afterCommit) once the transaction holds more than MAKE_LOCKS locks; partitionExistingTable's too. */
    static String commitWhenManyLocks(Map<String, String> values, String afterCommit) {
        return template("commit-when-many-locks").sql("AFTER_COMMIT", afterCommit).sql("MAKE_LOCKS", SqlText.integer(MAKE_LOCKS))
                .sqlFrom(values).renderLines();
    }

    /** Refuses, where this pg_partman cannot make a partition of a table whose replica identity is an index. */
    static String refuseReplicaIdentityIndex(PartmanTarget target, String change, String relation, String name) {
        return !target.childReplicaIdentityIndexFails() ? "" : template("replica-identity-index").raiseText("CHANGE", change)
                .raiseText("VERSION", target.partman().toString()).sql("OF", relation).sql("NAME", name).renderLines();
    }

    private static String partitionName(Map<String, String> values, String name, String low) {
        return template("partition-name").sql("NAME", name).sql("LOW", low).sqlFrom(values).renderLines();
    }

    /** A partition (or chunk) made beside the table as that version's create_partition_time makes one. */
    private String makePartition(Map<String, String> values, String name, String low, String high) {
        return template("make-partition").sql("NAME", name).sql("LOW", low).sql("HIGH", high)
                .sql("PUBLICATIONS", publications(name)).sqlFrom(values).renderLines();
    }

    /** pg_partman 4.x lists a set's publications in part_config and adds each child it makes to them. */
    private String publications(String childTableName) {
        return !target.childJoinsPublications() ? "" : template("publications")
                .sql("APPLY_PUBLICATIONS", target.partmanObject("apply_publications"))
                .sql("PARENT", parent.partmanName())
                .literal("SCHEMA", parent.schema())
                .sql("CHILD", childTableName)
                .renderLines();
    }
}
