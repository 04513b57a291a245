package io.dmjava.testsupport.service;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The playground's application: a thread that changes the demo tables upstream at a modest steady rate
 * (about {@code perSecond} transactions a second): new orders in both shards, updated amounts, orders moved
 * to a new id, deleted orders, customers who move city, new customers, now and then a multi-row transaction.
 */
final class PlaygroundWriter implements AutoCloseable {
    private final MariaDbInstance db;
    private final long pauseMillis;
    private final Thread thread;
    private final Random random = new Random();
    private final AtomicLong transactions = new AtomicLong();
    private volatile boolean running = true;
    private volatile String failure;
    private long nextOrder1;
    private long nextOrder2;
    private int nextCustomer;

    PlaygroundWriter(MariaDbInstance db, int perSecond) {
        this.db = db;
        this.pauseMillis = Math.max(1, 1000 / perSecond);
        this.thread = new Thread(this::loop, "playground-writer");
        this.thread.setDaemon(true);
    }

    PlaygroundWriter start() {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            nextOrder1 = PlaygroundDemo.scalarLong(st, "SELECT MAX(id) + 1 FROM shop.orders_01");
            nextOrder2 = PlaygroundDemo.scalarLong(st, "SELECT MAX(id) + 1 FROM shop.orders_02");
            nextCustomer = (int) PlaygroundDemo.scalarLong(st, "SELECT MAX(id) + 1 FROM shop.customers");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the demo tables: " + e.getMessage(), e);
        }
        thread.start();
        return this;
    }

    long transactions() {
        return transactions.get();
    }

    /** Why the writer stopped by itself, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            while (running) {
                int statements = random.nextInt(10) == 0 ? 2 + random.nextInt(4) : 1;
                for (int i = 0; i < statements; i++) {
                    st.execute(next());
                }
                c.commit();
                transactions.incrementAndGet();
                Thread.sleep(pauseMillis);
            }
        } catch (SQLException | RuntimeException e) {
            failure = e.toString();
            System.out.println("The writer stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String next() {
        boolean first = random.nextBoolean();
        String orders = first ? "shop.orders_01" : "shop.orders_02";
        long low = first ? 1 : 1_000_001;
        long high = first ? nextOrder1 : nextOrder2;
        long some = low + (long) (random.nextDouble() * (high - low));
        int op = random.nextInt(100);
        if (op < 35) {
            String sql = "INSERT INTO " + orders + " VALUES (" + high + ", " + (1 + random.nextInt(nextCustomer - 1)) + ", "
                    + random.nextInt(50_000) / 100.0 + ", NOW(3))";
            bump(first);
            return sql;
        }
        if (op < 65) {
            return "UPDATE " + orders + " SET amount = amount + 1.50 WHERE id = " + some;
        }
        if (op < 70) {
            String sql = "UPDATE " + orders + " SET id = " + high + " WHERE id = " + some; // a primary key change
            bump(first);
            return sql;
        }
        if (op < 85) {
            return "DELETE FROM " + orders + " WHERE id = " + some;
        }
        if (op < 97) {
            return "UPDATE shop.customers SET city = ELT(1 + FLOOR(RAND() * 5), 'Paris', 'Oslo', '上海', 'Cork', 'Reykjavík')"
                    + " WHERE id = " + (1 + random.nextInt(nextCustomer - 1));
        }
        int id = nextCustomer++;
        return "INSERT INTO shop.customers VALUES (" + id + ", 'Customer " + id + " ✓', 'Lisboa')";
    }

    private void bump(boolean first) {
        if (first) {
            nextOrder1++;
        } else {
            nextOrder2++;
        }
    }
}
