package liquibase.ext.partman.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import liquibase.ext.partman.support.SqlRows;
import liquibase.ext.partman.support.TestDatabase;

/**
 * A real logical-replication subscriber: its partitioned table receives, through the apply worker (which writes in
 * replica mode), the publisher's inserts, updates and deletes while repartitionDefault moves its DEFAULT. Afterwards
 * the subscriber's table equals the publisher's, its DEFAULT is empty, and nothing of the run is left.
 * The test server needs wal_level = logical (scripts/testdb sets it).
 */
class RepartitionDefaultSubscriberTest {

    private static final String SUBSCRIBER = "partman_subscriber";
    private static final String SCHEMA = "repartition_subscribed";
    private static final String TABLE = SCHEMA + ".events";

    @Test
    void aSubscribersTableIsMovedWhileChangesArrive() throws Exception {
        String subscriberUrl = TestDatabase.urlOfDatabase(SUBSCRIBER);
        try (Connection publisher = TestDatabase.connect(); Connection subscriber = DriverManager.getConnection(subscriberUrl)) {
            SqlRows.execute(subscriber, "DROP SUBSCRIPTION IF EXISTS repartition_test");
            SqlRows.execute(publisher, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'repartition_test'",
                    "DROP PUBLICATION IF EXISTS repartition_test");
            TestDatabase.resetSchema(SCHEMA);
            String columns = "(id bigint NOT NULL, day date NOT NULL, payload text, PRIMARY KEY (id, day))";
            SqlRows.execute(publisher, "CREATE TABLE " + TABLE + " " + columns,
                    "INSERT INTO " + TABLE + " SELECT g, current_date + 3 + g % 10, 'original' FROM generate_series(1, 3000) g",
                    "CREATE PUBLICATION repartition_test FOR TABLE " + TABLE,
                    "SELECT pg_create_logical_replication_slot('repartition_test', 'pgoutput')");
            SqlRows.execute(subscriber, "CREATE SCHEMA IF NOT EXISTS partman", "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman",
                    "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "DELETE FROM partman.part_config WHERE parent_table = '" + TABLE + "'",
                    "CREATE SCHEMA " + SCHEMA,
                    "CREATE TABLE " + TABLE + " " + columns + " PARTITION BY RANGE (day)",
                    TestDatabase.createParentSql(TABLE, "day", "1 day", "p_premake := 1"),
                    "CREATE SUBSCRIPTION repartition_test CONNECTION '" + connectionString(publisher) + "' PUBLICATION repartition_test "
                            + "WITH (create_slot = false, slot_name = 'repartition_test')");
            try {
                awaitEqual(publisher, subscriber);
                assertEquals(3000, SqlRows.count(subscriber, "SELECT count(*) FROM ONLY " + TABLE + "_default"));

                AtomicBoolean running = new AtomicBoolean(true);
                CompletableFuture<Void> application = CompletableFuture.runAsync(() -> write(running));
                try {
                    Thread.sleep(200);
                    SqlRows.execute(subscriber, script(subscriber));
                    Thread.sleep(200);
                } finally {
                    running.set(false);
                    application.get(1, TimeUnit.MINUTES);
                }
                awaitEqual(publisher, subscriber);
                // Rows that arrived for days not planned wait in the new DEFAULT for the next run.
                SqlRows.execute(subscriber, script(subscriber));
                assertEquals(fingerprint(publisher), fingerprint(subscriber));
                assertEquals(0, SqlRows.count(subscriber, "SELECT count(*) FROM ONLY " + TABLE + "_default"));
                RepartitionDefaultTest.assertNothingLeftBehind(subscriber, SCHEMA);
            } finally {
                SqlRows.execute(subscriber, "DROP SUBSCRIPTION repartition_test");
                SqlRows.execute(publisher, "DROP PUBLICATION repartition_test");
            }
        }
    }

    /**
     * libpq's settings for the publisher as the server itself reaches it (publisher and subscriber are databases of
     * the same server): its own port on 127.0.0.1, not the host and port the tests use, which a container maps;
     * user and password from the tests' JDBC URL.
     */
    private static String connectionString(Connection publisher) throws SQLException {
        URI uri = URI.create(TestDatabase.url().substring("jdbc:".length()));
        StringBuilder settings = new StringBuilder("host=127.0.0.1 port=" + SqlRows.value(publisher, "SELECT current_setting('port')")
                + " dbname=" + uri.getPath().substring(1));
        for (String parameter : uri.getQuery().split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].equals("user") || pair[0].equals("password")) {
                settings.append(' ').append(pair[0]).append('=').append(pair[1]);
            }
        }
        return settings.toString();
    }

    /** The application, on the publisher: updates, moves between days, deletes and inserts, every few milliseconds. */
    private static void write(AtomicBoolean running) {
        Random random = new Random(7);
        long next = 100_000;
        try (Connection connection = TestDatabase.connect();
             PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET payload = ? WHERE id = ?");
             PreparedStatement postpone = connection.prepareStatement("UPDATE " + TABLE + " SET day = day + 1 WHERE id = ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, current_date + ?, 'new')")) {
            while (running.get()) {
                long id = 1 + random.nextInt(3000);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        update.setString(1, "updated " + random.nextInt());
                        update.setLong(2, id);
                        update.executeUpdate();
                    }
                    case 1 -> {
                        postpone.setLong(1, id);
                        postpone.executeUpdate();
                    }
                    case 2 -> {
                        delete.setLong(1, id);
                        delete.executeUpdate();
                    }
                    default -> {
                        insert.setLong(1, next++);
                        insert.setInt(2, 3 + random.nextInt(random.nextInt(10) == 0 ? 40 : 10));
                        insert.executeUpdate();
                    }
                }
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fingerprint(Connection connection) throws SQLException {
        return SqlRows.fingerprint(connection, TABLE);
    }

    private static void awaitEqual(Connection publisher, Connection subscriber) throws Exception {
        for (int i = 0; i < 600 && !fingerprint(publisher).equals(fingerprint(subscriber)); i++) {
            Thread.sleep(100);
        }
        assertEquals(fingerprint(publisher), fingerprint(subscriber), "the subscriber caught up with the publisher within a minute");
    }

    private static String script(Connection connection) throws Exception {
        return RepartitionDefaultTest.generatedSql(connection, SCHEMA, "events", 300);
    }
}
