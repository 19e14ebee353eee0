package liquibase.ext.partman.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The maintenance procedure that installPartmanMaintenance puts into a schema of the user's, with
 * its state table, and that schedulePartmanMaintenance's job calls. Its argument types are part
 * of its name: DROP PROCEDURE and to_regprocedure need them.
 */
public record MaintenanceProcedure(String schema) {

    public static final String NAME = "partman_maintenance";
    public static final String STATE_TABLE = "partman_maintenance_state";
    private static final String ARGUMENT_TYPES = "(text, interval, boolean, text)";

    public String name() {
        return SqlText.qualified(schema, NAME);
    }

    public String signature() {
        return name() + ARGUMENT_TYPES;
    }

    public String stateTable() {
        return SqlText.qualified(schema, STATE_TABLE);
    }

    /** jsonb: the procedure's definition as it is now (NULL: none) and whether the state table exists. */
    public String currentState() {
        return SqlTemplate.of("installPartmanMaintenance/previous").literal("SIGNATURE_TEXT", signature())
                .literal("STATE_TEXT", stateTable()).render().strip();
    }

    /** PL/pgSQL that creates the state table unless it exists. */
    public String createStateTable() {
        return SqlTemplate.of("installPartmanMaintenance/state-table").literal("STATE_TEXT", stateTable())
                .sql("STATE", stateTable()).renderLines();
    }

    /** The CREATE OR REPLACE PROCEDURE statement, calling pg_partman's objects by the given names. */
    public String create(String partConfig, String runMaintenance) {
        return SqlTemplate.of("installPartmanMaintenance/procedure").sql("PROCEDURE", name()).sql("STATE", stateTable())
                .sql("PART_CONFIG", partConfig).sql("RUN_MAINTENANCE", runMaintenance).renderLines();
    }

    /** PL/pgSQL that puts back what {@link #currentState()} recorded into the given jsonb variable. */
    public String restore(String previous) {
        return SqlTemplate.of("installPartmanMaintenance/restore").sql("PREVIOUS", previous).sql("SIGNATURE", signature())
                .sql("STATE", stateTable()).renderLines();
    }

    /**
     * The job's command: one CALL (pg_cron runs a single statement at top level, where the
     * procedure may commit), with only the arguments given; the others take the procedure's defaults.
     *
     * @param lockTimeout SQL text of the lock timeout, or null
     * @param retryFor    SQL text of the retry time, or null
     * @param analyze     SQL text of the analyze flag, or null
     */
    public String call(String lockTimeout, String retryFor, String analyze) {
        List<String> arguments = new ArrayList<>();
        if (lockTimeout != null) {
            arguments.add("p_lock_timeout => " + lockTimeout);
        }
        if (retryFor != null) {
            arguments.add("p_retry_for => " + retryFor);
        }
        if (analyze != null) {
            arguments.add("p_analyze => " + analyze);
        }
        return "CALL " + name() + "(" + String.join(", ", arguments) + ")";
    }
}
