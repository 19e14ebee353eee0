package liquibase.ext.partman.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import liquibase.Scope;
import liquibase.database.PreparedStatementFactory;
import liquibase.exception.DatabaseException;
import liquibase.logging.Logger;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.ui.UIService;

/**
 * A script whose NOTICEs reach Liquibase's log, and its console output, while it runs. Liquibase
 * shows a statement's NOTICEs only once it has finished; a script that moves rows for minutes
 * reports its progress as it goes. The PostgreSQL driver appends each NOTICE to the statement's
 * warnings as it arrives, so a second thread reads them from there. updateSQL prints the script
 * like any other {@link ScriptStatement}: the generator for ScriptStatement renders this subclass.
 */
public class NoticeLoggingStatement extends ScriptStatement implements ExecutablePreparedStatement {

    private static final long POLL_MILLISECONDS = 200;

    private final Class<?> source;

    /**
     * @param source the class whose logger reports the NOTICEs
     */
    public NoticeLoggingStatement(String sql, Class<?> source) {
        super(sql);
        this.source = source;
    }

    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        Logger log = Scope.getCurrentScope().getLog(source);
        UIService ui = Scope.getCurrentScope().getUI();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "liquibase-partman notices");
            thread.setDaemon(true);
            return thread;
        });
        try (PreparedStatement statement = factory.create(getSql())) {
            Forwarder forwarder = new Forwarder(statement, log, ui);
            poller.scheduleWithFixedDelay(forwarder::forwardNew, POLL_MILLISECONDS, POLL_MILLISECONDS, TimeUnit.MILLISECONDS);
            try {
                statement.execute();
            } finally {
                poller.shutdownNow();
                awaitQuietly(poller);
                forwarder.forwardNew();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    private static void awaitQuietly(ScheduledExecutorService poller) {
        try {
            poller.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logs the warnings the statement has gathered since the last call, each once. */
    private static final class Forwarder {

        private final PreparedStatement statement;
        private final Logger log;
        private final UIService ui;
        private SQLWarning last;

        Forwarder(PreparedStatement statement, Logger log, UIService ui) {
            this.statement = statement;
            this.log = log;
            this.ui = ui;
        }

        synchronized void forwardNew() {
            try {
                SQLWarning next = last == null ? statement.getWarnings() : last.getNextWarning();
                while (next != null) {
                    log.info(next.getMessage());
                    ui.sendMessage(next.getMessage());
                    last = next;
                    next = next.getNextWarning();
                }
            } catch (SQLException e) {
                log.fine("cannot read the server's notices: " + e.getMessage());
            }
        }
    }
}
