package liquibase.ext.partman.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.jvm.JdbcSnapshotGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/**
 * Adds the pg_cron jobs of the cron database to the snapshot's default schema. Other databases
 * have no cron.job table, and no way to read the jobs that run in them: they get none.
 */
public class PgCronJobSnapshotGenerator extends JdbcSnapshotGenerator {

    public PgCronJobSnapshotGenerator() {
        super(PgCronJob.class, new Class[] {Schema.class});
    }

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase ? super.getPriority(objectType, database) : PRIORITY_NONE;
    }

    @Override
    protected DatabaseObject snapshotObject(DatabaseObject example, DatabaseSnapshot snapshot) throws DatabaseException {
        if (example.getSnapshotId() != null) {
            return example;
        }
        for (PgCronJob job : read(snapshot.getDatabase(), example.getSchema())) {
            if (job.getName().equals(example.getName())) {
                return job;
            }
        }
        return null;
    }

    @Override
    protected void addTo(DatabaseObject foundObject, DatabaseSnapshot snapshot) throws DatabaseException {
        Database database = snapshot.getDatabase();
        if (foundObject instanceof Schema schema && schema.getName() != null
                && schema.getName().equals(database.getDefaultSchemaName())) {
            read(database, schema).forEach(schema::addDatabaseObject);
        }
    }

    private static List<PgCronJob> read(Database database, Schema schema) throws DatabaseException {
        if (CatalogQuery.rows(database, "SELECT 1 WHERE to_regclass('cron.job') IS NOT NULL "
                + "AND has_table_privilege('cron.job', 'SELECT')").isEmpty()) {
            return List.of();
        }
        List<PgCronJob> jobs = new ArrayList<>();
        for (Map<String, Object> row : CatalogQuery.rows(database, "SELECT j.jobname, j.schedule, j.command, "
                + "NULLIF(j.database, current_database()) AS database, NULLIF(j.username, current_user) AS username, j.active "
                + "FROM cron.job j WHERE j.jobname IS NOT NULL ORDER BY j.jobname")) {
            PgCronJob job = new PgCronJob(schema, (String) row.get("jobname"));
            for (String attribute : List.of("schedule", "command", "database", "username", "active")) {
                job.setAttribute(attribute, row.get(attribute));
            }
            jobs.add(job);
        }
        return jobs;
    }
}
