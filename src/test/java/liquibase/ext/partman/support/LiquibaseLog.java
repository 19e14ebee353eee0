package liquibase.ext.partman.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import liquibase.Scope;
import liquibase.ui.LoggerUIService;

/** Liquibase's log, captured while an action runs. */
public final class LiquibaseLog {

    private LiquibaseLog() {
    }

    /**
     * What Liquibase says while the action runs: its log, and its console, where it prints the
     * server's NOTICEs (sent to the log here through LoggerUIService).
     */
    public static List<String> of(Scope.ScopedRunner<?> action) throws Exception {
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Logger liquibase = Logger.getLogger("liquibase");
        Level level = liquibase.getLevel();
        liquibase.setLevel(Level.INFO);
        liquibase.addHandler(handler);
        try {
            Scope.child(Scope.Attr.ui.name(), new LoggerUIService(), action);
        } finally {
            liquibase.removeHandler(handler);
            liquibase.setLevel(level);
        }
        return messages;
    }
}
