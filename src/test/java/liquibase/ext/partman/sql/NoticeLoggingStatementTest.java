package liquibase.ext.partman.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import liquibase.Scope;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.ext.partman.support.TestDatabase;
import liquibase.ui.LoggerUIService;

/** A long script's NOTICEs are shown while it runs, and a script that commits works through it. */
class NoticeLoggingStatementTest {

    private record Shown(long atMillis, String message) {
    }

    @Test
    void noticesArriveWhileTheScriptRuns() throws Exception {
        List<Shown> shown = new CopyOnWriteArrayList<>();
        LoggerUIService ui = new LoggerUIService() {
            @Override
            public void sendMessage(String message) {
                shown.add(new Shown(System.currentTimeMillis(), message));
            }
        };
        long finished;
        try (Connection connection = TestDatabase.connect()) {
            NoticeLoggingStatement statement = new NoticeLoggingStatement("""
                    DO $$
                    BEGIN
                      RAISE NOTICE 'first batch done';
                      COMMIT;
                      PERFORM pg_sleep(1.5);
                      RAISE NOTICE 'second batch done';
                    END $$""", NoticeLoggingStatementTest.class);
            Scope.child(Map.of(Scope.Attr.ui.name(), ui),
                    () -> statement.execute(new PreparedStatementFactory(new JdbcConnection(connection))));
            finished = System.currentTimeMillis();
        }
        assertEquals(List.of("first batch done", "second batch done"), shown.stream().map(Shown::message).toList());
        assertTrue(finished - shown.get(0).atMillis() >= 1000,
                "the first NOTICE was shown " + (finished - shown.get(0).atMillis()) + " ms before the end");
    }
}
