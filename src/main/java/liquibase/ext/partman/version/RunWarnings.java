package liquibase.ext.partman.version;

import java.sql.Connection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import liquibase.Scope;

/**
 * Warnings about the database rather than about one change: said once per run, not once per
 * change. A run is one connection (Liquibase opens its own for each command), so a second run
 * in the same JVM, against a database whose state may have changed, says it again.
 */
final class RunWarnings {

    private static final Map<Connection, Set<String>> SAID = Collections.synchronizedMap(new WeakHashMap<>());

    private RunWarnings() {
    }

    static void warnOnce(Connection run, String warning) {
        if (SAID.computeIfAbsent(run, connection -> Collections.synchronizedSet(new HashSet<>())).add(warning)) {
            Scope.getCurrentScope().getLog(RunWarnings.class).warning(warning);
        }
    }
}
