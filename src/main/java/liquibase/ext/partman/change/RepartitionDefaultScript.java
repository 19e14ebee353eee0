package liquibase.ext.partman.change;

import java.util.List;
import java.util.Locale;

import liquibase.ext.partman.sql.ParentTable;
import liquibase.ext.partman.sql.SqlTemplate;
import liquibase.ext.partman.sql.SqlText;
import liquibase.ext.partman.version.PartmanTarget;

/**
 * The PL/pgSQL of {@link RepartitionDefaultChange}: {@code sql/repartitionDefault/script.sql} and the steps it inserts, filled here.
 * <p>
 * The rows stay in the DEFAULT, where readers and writers use them as before, until one short
 * transaction swaps them for their partitions. Before that, in transactions of at most batchSize
 * rows each:
 * <ol>
 *   <li>a trigger on the DEFAULT logs every change to its rows into a log table (the trigger
 *       exists before the plan reads the DEFAULT, so no change goes unseen);</li>
 *   <li>the partitions are created as pg_partman would (holes between existing partitions too),
 *       as partitions of a staging table that nobody else sees, each with a check constraint on
 *       its bounds;</li>
 *   <li>slices of the DEFAULT are copied into the staging table: whole ranges of control values,
 *       or a range with more rows than batchSize cut in the order of its primary key (or of the
 *       whole row), so that a slice is a function of a row's values; the statement that copies a
 *       slice also deletes the slice's log entries it saw, so the log holds exactly the changes the
 *       copy missed, which are then applied to the copies;</li>
 *   <li>the partitions leave the staging table, so that the swap only attaches them.</li>
 * </ol>
 * The swap locks the parent and the DEFAULT ACCESS EXCLUSIVE, applies what is left of the log,
 * empties the DEFAULT with TRUNCATE and attaches the partitions: the bounds constraints and the
 * empty DEFAULT spare ATTACH its scans, so queries wait for catalog updates only. Writers are
 * never refused: until the swap their rows go to the DEFAULT and are logged; a writer that waits
 * for the swap's lock on the parent is routed afterwards, into the new partition.
 * Outside a transaction (runInTransaction="false") each step commits; inside one the same steps
 * run without COMMIT.
 */
final class RepartitionDefaultScript {

    /** Prefix of the trigger, staging table, log table and function of a run; the backend's pid follows, to tell stale from running. */
    static final String RUN_PREFIX = "partman_repartition_";
    /** The temporary bounds constraint of a partition until it is attached. */
    static final String BOUNDS_CONSTRAINT = "partman_repartition_bounds";
    static final int DEFAULT_BATCH_SIZE = 100_000;
    static final String DEFAULT_LOCK_TIMEOUT = "100ms";
    /**
     * The swap attaches every partition of a pass in one transaction, holding a few locks for each:
     * PostgreSQL's shared lock table (max_locks_per_transaction x max_connections, 6400 by default)
     * bounds how many, so a run refuses more than this rather than failing out of shared memory.
     */
    static final int MAX_PARTITIONS = 1000;

    private static final String TABLE_LOCK_HOLDERS = "l.relation IN (v_parent, v_default)";
    private static final String FOLDER = "repartitionDefault/";

    private final PartmanTarget target;
    private final ParentTable parent;
    private final int batchSize;
    private final String lockTimeout;
    private final boolean analyze;
    private final boolean fillGaps;
    private final boolean commitBetweenBatches;

    RepartitionDefaultScript(PartmanTarget target, ParentTable parent, Integer batchSize, String lockTimeout,
                             Boolean analyze, Boolean fillGaps, boolean commitBetweenBatches) {
        this.target = target;
        this.parent = parent;
        this.batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
        this.lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout.trim();
        this.analyze = Boolean.TRUE.equals(analyze);
        this.fillGaps = !Boolean.FALSE.equals(fillGaps);
        this.commitBetweenBatches = commitBetweenBatches;
    }

    String sql() {
        SqlTemplate script = template("script")
                .sql("CHECKS", PartmanScripts.requirePartmanInstalled(target) + parent.requirePartitioned()
                        + parent.requireRegistered(target.partmanObject("part_config")))
                .sql("PARENT", parent.partmanName())
                .sql("PARENT_REGCLASS", parent.regclassText())
                .literal("SCHEMA", parent.schema())
                .literal("TABLE", parent.table())
                .number("BATCH_SIZE", batchSize)
                .bool("FILL_GAPS", fillGaps)
                .number("MAX_PARTITIONS", MAX_PARTITIONS)
                .literal("LOCK_TIMEOUT", lockTimeout)
                .literal("RUN_PREFIX", RUN_PREFIX)
                .insideLiteral("BOUNDS", BOUNDS_CONSTRAINT)
                .sql("LIKE_OPTIONS", target.childTableLikeOptions())
                .sql("SESSION", session())
                .sql("COMMIT", commit())
                .sql("LOCK_FOR_TRIGGER", lock("v_default_name", TABLE_LOCK_HOLDERS, lockTable("SHARE ROW EXCLUSIVE", "v_default_name")))
                .sql("LOCK_MAINTENANCE", maintenanceLock())
                .sql("LOCK_PARENT_AND_DEFAULT", lock("v_parent_name || ' and ' || v_default_name", TABLE_LOCK_HOLDERS,
                        lockTable("ACCESS EXCLUSIVE", "v_parent_name"), lockTable("ACCESS EXCLUSIVE", "v_default_name")))
                .sql("CLEAN_UP", cleanUp())
                .sql("DROP_BOUNDS", dropBounds())
                .sql("CATCH_UP", catchUp(commit()))
                .sql("APPLY_REST_OF_LOG", catchUp(""))
                .sql("PUBLICATIONS", publications())
                .sql("REPLICA_IDENTITY", replicaIdentity())
                .sql("ANALYZE", analyze ? template("analyze").literal("SCHEMA", parent.schema()).renderLines() : "");
        for (String function : List.of("part_config", "part_config_sub", "show_partition_name", "show_partitions",
                "show_partition_info", "check_control_type", "inherit_template_properties", "apply_privileges", "apply_constraints")) {
            script.sql(function.toUpperCase(Locale.ROOT), target.partmanObject(function));
        }
        return SqlText.doBlock(script.render());
    }

    private static SqlTemplate template(String name) {
        return SqlTemplate.of(FOLDER + name);
    }

    /** Runs every pg_partman call in the zone maintenance uses, and reads dates as ISO (bounds go through text). */
    private String session() {
        return template("session").sql("SET_TIME_ZONE", PartmanScripts.switchToTimeZone(target, true)).renderLines();
    }

    private String commit() {
        return commitBetweenBatches ? template("commit").sql("SESSION", session()).renderLines() : "";
    }

    /**
     * pg_partman's maintenance (run_maintenance, and run_maintenance_proc through it) takes the
     * advisory lock 'pg_partman run_maintenance' with pg_try_advisory(_xact)_lock and returns at
     * once when another session holds it. Holding it while partitions are created and attached
     * keeps maintenance from creating the same partition at the same moment, without making it
     * wait; between those transactions maintenance finds the partitions by name and skips them.
     * (Marking the set automatic_maintenance 'off' instead would stay off if the run were killed.)
     * The move waits for a running maintenance (up to 10 minutes: pg_partman 4.7's run_maintenance_proc
     * sleeps a second after each set), holding no lock maintenance could wait for.
     * A session that holds the lock while idle is not maintaining anything: pg_partman 4.7's
     * run_maintenance_proc keeps its session lock when a call fails. Then the move goes on without.
     */
    private String maintenanceLock() {
        return template("maintenance-lock").sql("PARENT", parent.partmanName()).renderLines();
    }

    /**
     * Waits for locks at most lockTimeout at a time, so that queries queued behind a request
     * never wait longer than that; retries for up to a minute, then names the sessions in the way.
     * The swap locks the parent as well, for the moment the catalog changes take: PostgreSQL plans
     * a query with the partitions it saw before waiting for a lock, so a query planned while the
     * swap held only the DEFAULT could run after COMMIT without the new partitions and miss their
     * rows (seen with pg_partman's partition_data_proc). Waiting on the parent, queries plan after
     * COMMIT instead, and a writer is routed into the new partition.
     */
    private static String lock(String what, String holders, String... lockTables) {
        return template("lock").sql("WHAT", what).sql("HOLDERS", holders)
                .sql("LOCK_TABLES", String.join("", lockTables)).renderLines();
    }

    private static String lockTable(String mode, String tableVariable) {
        return template("lock-table").sql("MODE", mode).sql("TABLE", tableVariable).renderLines();
    }

    /**
     * Removes the trigger, tables and function of run v_cleaning (this one, or one that was killed),
     * and its partitions that had left the staging table for the swap: they hold copies only.
     */
    private String cleanUp() {
        return template("clean-up")
                .sql("LOCK_FOR_CLEAN_UP", lock("v_default_name", TABLE_LOCK_HOLDERS, lockTable("ACCESS EXCLUSIVE", "v_default_name")))
                .literal("SCHEMA", parent.schema())
                .insideLiteral("BOUNDS", BOUNDS_CONSTRAINT)
                .renderLines();
    }

    /**
     * Drops the bounds constraints of the attached partitions one partition and one transaction at
     * a time, after the swap rather than in it: each takes an ACCESS EXCLUSIVE lock on its partition.
     */
    private String dropBounds() {
        return template("drop-bounds")
                .insideLiteral("BOUNDS", BOUNDS_CONSTRAINT)
                .sql("LOCK_BOUNDED", lock("v_bounded::text", "l.relation = v_bounded", lockTable("ACCESS EXCLUSIVE", "v_bounded")))
                .sql("COMMIT", commit())
                .renderLines();
    }

    /**
     * Applies the logged changes of the slices copied so far (and of rows outside every planned
     * range, which go to the staging table's DEFAULT), oldest first, where v_route sends them: a
     * change to one row is logged after the change before it committed, since the row was locked
     * until then.
     */
    private static String catchUp(String commitApplied) {
        return template("catch-up").sql("COMMIT_APPLIED", commitApplied).renderLines();
    }

    private String publications() {
        return !target.childJoinsPublications() ? "" : template("publications")
                .sql("APPLY_PUBLICATIONS", target.partmanObject("apply_publications"))
                .sql("PARENT", parent.partmanName())
                .literal("SCHEMA", parent.schema())
                .renderLines();
    }

    private String replicaIdentity() {
        return !target.childInheritsReplicaIdentity() ? "" : template("replica-identity")
                .sql("INHERIT_REPLICA_IDENTITY", target.partmanObject("inherit_replica_identity"))
                .literal("SCHEMA", parent.schema())
                .literal("TABLE", parent.table())
                .renderLines();
    }
}
