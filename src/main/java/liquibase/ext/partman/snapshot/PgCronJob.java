package liquibase.ext.partman.snapshot;

import liquibase.structure.AbstractDatabaseObject;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/**
 * A pg_cron job of the cron database, named by its jobname. pg_cron keeps jobs per database, not
 * per schema; a snapshot puts them in its default schema, so each database's jobs are read once.
 * database and username are null when they are the snapshotted database and the connecting role,
 * so environments whose databases or roles are named differently compare equal.
 */
public class PgCronJob extends AbstractDatabaseObject {

    public PgCronJob() {
    }

    public PgCronJob(Schema schema, String jobName) {
        setSchema(schema);
        setName(jobName);
    }

    @Override
    public DatabaseObject[] getContainingObjects() {
        return null;
    }

    @Override
    public String getName() {
        return getAttribute("name", String.class);
    }

    @Override
    public PgCronJob setName(String name) {
        setAttribute("name", name);
        return this;
    }

    @Override
    public Schema getSchema() {
        return getAttribute("schema", Schema.class);
    }

    public PgCronJob setSchema(Schema schema) {
        setAttribute("schema", schema);
        return this;
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
