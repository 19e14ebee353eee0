package liquibase.ext.partman.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.structure.core.Schema;

/**
 * Adds the pg_cron jobs of the cron database to the snapshot's default schema. Other databases
 * have no cron.job table, and no way to read the jobs that run in them: they get none.
 */
// Liquibase's JdbcSnapshotGenerator implements SnapshotGenerator's generic snapshot() with raw types.
@SuppressWarnings("unchecked")
public class PgCronJobSnapshotGenerator extends SchemaObjectSnapshotGenerator {

    public PgCronJobSnapshotGenerator() {
        super(PgCronJob.class);
    }

    @Override
    protected List<PgCronJob> read(Database database, Schema schema) throws DatabaseException {
        if (schema == null || !Objects.equals(schema.getName(), database.getDefaultSchemaName())) {
            return List.of();
        }
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
