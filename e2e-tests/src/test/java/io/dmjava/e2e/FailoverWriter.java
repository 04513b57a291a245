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
 * Changes the big tables of {@link FullMigrationFailoverE2ETest} in small random transactions while dump, load
 * and the failover run: inserts past the end, updates, primary key moves (from one chunk's range to the
 * last one's) and deletes, spread over every chunk, plus inserts into the table without a key. {@link #hold()}
 * keeps it out so the test can take a position.
 */
final class FailoverWriter implements AutoCloseable {
    private final MariaDbInstance db;
    private final int tables;
    private final long[] next;
    private final Thread thread;
    private final ReentrantLock gate = new ReentrantLock();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Random random = new Random(7);
    private volatile boolean running = true;

    FailoverWriter(MariaDbInstance db, int tables, long rows) {
        this.db = db;
        this.tables = tables;
        this.next = new long[tables + 1];
        java.util.Arrays.fill(next, rows + 1);
        this.thread = new Thread(this::loop, "failover-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long transactions() {
        return transactions.get();
    }

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
                    for (int i = 1 + random.nextInt(4); i > 0; i--) {
                        st.execute(next());
                    }
                    c.commit();
                    transactions.incrementAndGet();
                } finally {
                    gate.unlock();
                }
                Thread.sleep(3);
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String next() {
        int t = 1 + random.nextInt(tables);
        String table = "fo.t" + t;
        long some = 1 + (long) (random.nextDouble() * (next[t] - 1));
        int op = random.nextInt(10);
        if (op < 3) {
            long id = next[t]++;
            return "INSERT INTO " + table + " VALUES (" + id + ", " + random.nextInt(100_000) + ", 'new " + id + "', 'w')";
        }
        if (op < 6) {
            return "UPDATE " + table + " SET k = k + 1, pad = CONCAT(LEFT(pad, 50), '+') WHERE id = " + some;
        }
        if (op < 7) {
            return "UPDATE " + table + " SET id = " + (next[t]++) + " WHERE id = " + some; // moves to the last chunk
        }
        if (op < 9) {
            return "DELETE FROM " + table + " WHERE id = " + some;
        }
        return "INSERT INTO fo.nokey VALUES (" + random.nextInt(100) + ", 'w" + random.nextInt(10) + "')";
    }
}
