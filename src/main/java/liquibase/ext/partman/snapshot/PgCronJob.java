package liquibase.ext.partman.snapshot;

import liquibase.structure.core.Schema;

/**
 * A pg_cron job of the cron database, named by its jobname. pg_cron keeps jobs per database, not
 * per schema; a snapshot puts them in its default schema, so each database's jobs are read once.
 * database and username are null when they are the snapshotted database and the connecting role,
 * so environments whose databases or roles are named differently compare equal.
 */
public class PgCronJob extends SchemaObject {

    public PgCronJob() {
    }

    public PgCronJob(Schema schema, String jobName) {
        super(schema, jobName);
    }

    public String getSchedule() {
        return getAttribute("schedule", String.class);
    }

    public String getCommand() {
        return getAttribute("command", String.class);
    }

    /** The database the job runs in when it is not the cron database itself, else null. */
    public String getDatabase() {
        return getAttribute("database", String.class);
    }

    /** The role the job runs as when it is not the role that took the snapshot, else null. */
    public String getUsername() {
        return getAttribute("username", String.class);
    }

    public Boolean getActive() {
        return getAttribute("active", Boolean.class);
    }
}
