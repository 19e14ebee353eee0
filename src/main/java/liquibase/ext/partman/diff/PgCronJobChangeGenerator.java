package liquibase.ext.partman.diff;

import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.ChangedObjectChangeGenerator;
import liquibase.diff.output.changelog.MissingObjectChangeGenerator;
import liquibase.diff.output.changelog.UnexpectedObjectChangeGenerator;
import liquibase.ext.partman.change.ScheduleCronChange;
import liquibase.ext.partman.change.UnscheduleCronChange;
import liquibase.ext.partman.snapshot.PartmanPolicy;
import liquibase.ext.partman.snapshot.PgCronJob;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;

/**
 * A missing or changed pg_cron job becomes scheduleCron with the reference's schedule, command,
 * database and role (an upsert whose rollback puts the job back as it was); a job the reference
 * does not have becomes unscheduleCron. Jobs come after the tables and policies they maintain.
 */
public class PgCronJobChangeGenerator extends PartmanChangeGenerator
        implements MissingObjectChangeGenerator, ChangedObjectChangeGenerator, UnexpectedObjectChangeGenerator {

    public PgCronJobChangeGenerator() {
        super(PgCronJob.class, Table.class, PartmanPolicy.class);
    }

    @Override
    public Change[] fixMissing(DatabaseObject missingObject, DiffOutputControl control, Database referenceDatabase,
                               Database comparisonDatabase, ChangeGeneratorChain chain) {
        PgCronJob job = (PgCronJob) missingObject;
        ScheduleCronChange change = schedule(job);
        if (Boolean.FALSE.equals(job.getActive())) {
            change.setActive(false);
        }
        return new Change[] {change};
    }

    @Override
    public Change[] fixChanged(DatabaseObject changedObject, ObjectDifferences differences, DiffOutputControl control,
                               Database referenceDatabase, Database comparisonDatabase, ChangeGeneratorChain chain) {
        PgCronJob job = (PgCronJob) changedObject;
        ScheduleCronChange change = schedule(job);
        change.setActive(job.getActive());
        return new Change[] {change};
    }

    @Override
    public Change[] fixUnexpected(DatabaseObject unexpectedObject, DiffOutputControl control, Database referenceDatabase,
                                  Database comparisonDatabase, ChangeGeneratorChain chain) {
        PgCronJob job = (PgCronJob) unexpectedObject;
        UnscheduleCronChange change = new UnscheduleCronChange();
        change.setJobName(job.getName());
        change.setUsername(job.getUsername());
        return new Change[] {change};
    }

    private static ScheduleCronChange schedule(PgCronJob job) {
        ScheduleCronChange change = new ScheduleCronChange();
        change.setJobName(job.getName());
        change.setSchedule(job.getSchedule());
        change.setCommand(job.getCommand());
        change.setDatabase(job.getDatabase());
        change.setUsername(job.getUsername());
        return change;
    }
}
