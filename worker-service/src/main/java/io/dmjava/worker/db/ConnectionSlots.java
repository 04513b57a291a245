package io.dmjava.worker.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed number of reusable connections, one per worker thread. A connection that failed with a
 * {@link SqlErrors#isRetryable retryable} error is discarded and replaced on the next borrow, so a retry
 * always starts on a healthy connection.
 */
public final class ConnectionSlots implements AutoCloseable {
    /** Work done with one borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private static final class Slot {
        Connection connection;
    }

    private final JdbcConnector connector;
    private final BlockingQueue<Slot> slots;

    public ConnectionSlots(JdbcConnector connector, int size) {
        this.connector = connector;
        this.slots = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            slots.add(new Slot());
        }
    }

    /** Runs {@code work} on a borrowed connection (opened lazily), discarding it if the work failed retryably. */
    public <T> T with(Work<T> work) throws Exception {
        Slot slot = slots.take();
        try {
            if (slot.connection == null || slot.connection.isClosed()) {
                slot.connection = connector.open();
            }
            return work.run(slot.connection);
        } catch (Exception e) {
            if (slot.connection != null && (SqlErrors.isRetryable(e) || e instanceof InterruptedException)) {
                closeQuietly(slot.connection);
                slot.connection = null;
            }
            throw e;
        } finally {
            slots.add(slot);
        }
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            if (slot.connection != null) {
                closeQuietly(slot.connection);
                slot.connection = null;
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Already broken; the server rolls back whatever it held.
        }
    }
}
