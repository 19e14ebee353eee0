package liquibase.ext.partman.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One query every paceMillis on its own connection; latencies of those started while measuring is
 * set, even when they end after it is cleared. A client that counts failures goes on after a failed
 * query (an application's refused write, a failed maintenance call); the others stop, and fail the
 * method they ran beside ({@link #failureBeside}).
 */
final class Client extends Thread {

    interface Query {
        void run(PreparedStatement statement) throws SQLException;
    }

    private final String url;
    private final long paceMillis;
    private final AtomicBoolean running;
    private final AtomicBoolean measuring;
    private final boolean countsFailures;
    private final String sql;
    private final Query query;
    private final List<Double> seconds = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile Exception failure;

    Client(String name, String url, long paceMillis, AtomicBoolean running, AtomicBoolean measuring, boolean countsFailures, String sql,
           Query query) {
        super(name);
        this.url = url;
        this.paceMillis = paceMillis;
        this.running = running;
        this.measuring = measuring;
        this.countsFailures = countsFailures;
        this.sql = sql;
        this.query = query;
    }

    @Override
    public void run() {
        try (Connection connection = DriverManager.getConnection(url); PreparedStatement statement = connection.prepareStatement(sql)) {
            while (running.get()) {
                boolean measured = measuring.get();
                long start = System.nanoTime();
                try {
                    query.run(statement);
                } catch (SQLException e) {
                    if (!countsFailures) {
                        throw e;
                    }
                    if (measured) {
                        failures.incrementAndGet();
                    }
                }
                long took = System.nanoTime() - start;
                if (measured) {
                    synchronized (seconds) {
                        seconds.add(took / 1e9);
                    }
                }
                Thread.sleep(Math.max(0, paceMillis - took / 1_000_000));
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    long failures() {
        return failures.get();
    }

    /**
     * The method's own failure, or else the first stopped client's: a reader or writer refused while a method runs
     * (out of shared memory, when the method takes the server's whole lock table) is that method's failure.
     */
    static String failureBeside(String methodFailure, List<Client> clients) {
        if (methodFailure != null) {
            return methodFailure;
        }
        for (Client client : clients) {
            if (client.failure != null) {
                String message = client.failure.getMessage() == null ? client.failure.toString() : client.failure.getMessage();
                return client.getName() + " failed: " + message.lines().findFirst().orElse("");
            }
        }
        return null;
    }

    /** Those of the queries until the client ended or stopped. */
    Latencies latencies() {
        synchronized (seconds) {
            return Latencies.of(seconds);
        }
    }
}
