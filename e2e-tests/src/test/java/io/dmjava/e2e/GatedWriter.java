package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread that keeps changing upstream tables in small random transactions of the statements {@link #next}
 * makes. {@link #hold()} waits for the running transaction and keeps the writer out until {@link #release()},
 * so a test can take a consistent position or run a DDL between two transactions. Seeded: the same run writes
 * the same statements.
 */
abstract class GatedWriter implements AutoCloseable {
    protected final Random random;
    private final MariaDbInstance db;
    private final int maxStatements;
    private final Thread thread;
    private final ReentrantLock gate = new ReentrantLock();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile long pauseMillis;

    GatedWriter(MariaDbInstance db, String name, long seed, int maxStatements, long pauseMillis) {
        this.db = db;
        this.random = new Random(seed);
        this.maxStatements = maxStatements;
        this.pauseMillis = pauseMillis;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /** The next statement of the transaction being written (called on the writer's thread). */
    protected abstract String next();

    void start() {
        thread.start();
    }

    /** Milliseconds between transactions: 0 writes as fast as one connection can. */
    void pace(long millis) {
        pauseMillis = millis;
    }

    long transactions() {
        return transactions.get();
    }

    /** Waits for the transaction in progress, then keeps the writer out until {@link #release()}. */
    void hold() {
        gate.lock();
        throwIfFailed();
    }

    void release() {
        gate.unlock();
    }

    void throwIfFailed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the writer failed after " + transactions.get() + " transactions", t);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            while (running) {
                gate.lock();
                try {
                    for (int i = 1 + random.nextInt(maxStatements); i > 0; i--) {
                        st.execute(next());
                    }
                    c.commit();
                    transactions.incrementAndGet();
                } finally {
                    gate.unlock();
                }
                long pause = pauseMillis;
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
