package liquibase.ext.partman.diff;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.structure.DatabaseObject;

/** Writes the changes for one kind of object of ours, on PostgreSQL, after the kinds it depends on. */
abstract class PartmanChangeGenerator extends AbstractChangeGenerator {

    private final Class<? extends DatabaseObject> type;
    private final Class<? extends DatabaseObject>[] after;

    // The array is kept and only read: nothing of another type can be stored through it.
    @SafeVarargs
    @SuppressWarnings("varargs")
    PartmanChangeGenerator(Class<? extends DatabaseObject> type, Class<? extends DatabaseObject>... after) {
        this.type = type;
        this.after = after;
    }

    @Override
    public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
        return database instanceof PostgresDatabase && type.isAssignableFrom(objectType) ? PRIORITY_DEFAULT : PRIORITY_NONE;
    }

    @Override
    public Class<? extends DatabaseObject>[] runAfterTypes() {
        return after;
    }

    @Override
    public Class<? extends DatabaseObject>[] runBeforeTypes() {
        return null;
    }
}
