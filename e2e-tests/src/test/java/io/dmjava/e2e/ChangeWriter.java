package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;

/**
 * A thread that keeps changing the upstream tables of {@link IncrementalReplicationE2ETest} in small random
 * transactions: inserts, updates (primary key changes included) and deletes on the sharded orders, the
 * customers, the stock (string key) and the events (no key at all), and inserts into a table no rule selects. Held and released as every {@link GatedWriter}.
 */
final class ChangeWriter extends GatedWriter {
    static final long SHARD2 = 1_000_000_000L;

    private volatile boolean customersHaveTier;
    private long nextOrder1;
    private long nextOrder2;
    private int nextCustomer;
    private int nextSku;
    private int nextIgnored = 1;

    ChangeWriter(MariaDbInstance db, long orders1, long orders2, int customers, int skus) {
        super(db, "change-writer", 42, 5, 5);
        this.nextOrder1 = orders1 + 1;
        this.nextOrder2 = SHARD2 + orders2 + 1;
        this.nextCustomer = customers + 1;
        this.nextSku = skus + 1;
    }

    /** From now on, customer changes also write the column a DDL added. */
    void customersHaveTier() {
        customersHaveTier = true;
    }

    @Override
    protected String next() {
        int op = random.nextInt(100);
        if (op < 45) {
            return order();
        }
        if (op < 65) {
            return customer();
        }
        if (op < 85) {
            return stock();
        }
        if (op < 95) {
            return event();
        }
        return "INSERT INTO other.ignored VALUES (" + (nextIgnored++) + ")"; // a table no rule selects
    }

    private String order() {
        boolean first = random.nextBoolean();
        String table = first ? "shop.orders_01" : "shop.orders_02";
        long base = first ? 1 : SHARD2 + 1;
        long next = first ? nextOrder1 : nextOrder2;
        long some = base + (long) (random.nextDouble() * (next - base));
        int op = random.nextInt(10);
        String sql;
        if (op < 4) {
            sql = "INSERT INTO " + table + " VALUES (" + next + ", " + (1 + random.nextInt(3000)) + ", " + random.nextInt(100_000) / 100.0
                    + ", " + (random.nextInt(5) == 0 ? "NULL" : "'n-" + next + " ünï'") + ", NOW(6))";
            next++;
        } else if (op < 7) {
            sql = "UPDATE " + table + " SET amount = amount + 1.25, note = CONCAT(COALESCE(note, ''), '+'), updated = NOW(6) WHERE id = " + some;
        } else if (op < 8) {
            sql = "UPDATE " + table + " SET id = " + next + " WHERE id = " + some; // a primary key change
            next++;
        } else {
            sql = "DELETE FROM " + table + " WHERE id = " + some;
        }
        if (first) {
            nextOrder1 = next;
        } else {
            nextOrder2 = next;
        }
        return sql;
    }

    private String customer() {
        int some = 1 + random.nextInt(nextCustomer - 1);
        int op = random.nextInt(10);
        String tier = customersHaveTier ? ", tier = " + random.nextInt(5) : "";
        if (op < 3) {
            int id = nextCustomer++;
            return customersHaveTier
                    ? "INSERT INTO shop.customers VALUES (" + id + ", 'new " + id + " 🚀', 'Oslo', " + random.nextInt(5) + ")"
                    : "INSERT INTO shop.customers VALUES (" + id + ", 'new " + id + " 🚀', 'Oslo')";
        }
        if (op < 7) {
            return "UPDATE shop.customers SET city = ELT(1 + FLOOR(RAND() * 4), 'Paris', '上海', NULL, 'Cork')" + tier
                    + " WHERE id = " + some;
        }
        if (op < 8) {
            return "UPDATE shop.customers SET id = " + (nextCustomer++) + tier + " WHERE id = " + some;
        }
        return "DELETE FROM shop.customers WHERE id = " + some;
    }

    private String stock() {
        String some = sku(1 + random.nextInt(nextSku - 1));
        int op = random.nextInt(10);
        if (op < 2) {
            return "INSERT INTO inv.stock (sku, qty, price) VALUES ('" + sku(nextSku++) + "', " + random.nextInt(500) + ", RAND() * 100)";
        }
        if (op < 7) {
            return "UPDATE inv.stock SET qty = qty - 1, price = price * 1.1 WHERE sku = '" + some + "'";
        }
        if (op < 8) {
            return "UPDATE inv.stock SET sku = '" + sku(nextSku++) + "' WHERE sku = '" + some + "'";
        }
        return "DELETE FROM inv.stock WHERE sku = '" + some + "'";
    }

    private String event() {
        int src = random.nextInt(8);
        int op = random.nextInt(10);
        if (op < 5) {
            // identical rows on purpose: a table without a key may hold duplicates
            return "INSERT INTO audit.events VALUES (" + src + ", 'msg " + random.nextInt(50) + "', '2024-05-01 10:00:00.123')";
        }
        if (op < 8) {
            return "UPDATE audit.events SET msg = CONCAT(msg, '!') WHERE src = " + src + " LIMIT 1";
        }
        return "DELETE FROM audit.events WHERE src = " + src + " LIMIT 1";
    }

    static String sku(int n) {
        return String.format("SKU-%06d", n);
    }
}
