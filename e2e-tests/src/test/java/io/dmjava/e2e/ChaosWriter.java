package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The write workload of {@link ChaosE2ETest} on one upstream schema: small random transactions of inserts,
 * updates (primary key changes included) and deletes on a table with a primary key, one with a primary and a
 * unique key, one without any key, and every table a DDL created since ({@link #ddl}). Statements name their
 * columns, so the columns an {@code ADD COLUMN ... DEFAULT} adds get their default on both sides.
 */
final class ChaosWriter extends GatedWriter {
    static final int ITEMS = 3000;
    static final int ACCOUNTS = 500;

    private final MariaDbInstance db;
    private final String schema;
    private final List<String> extraTables = new CopyOnWriteArrayList<>();
    private final long[] extraNext = new long[10_000];
    private long nextItem = ITEMS + 1;
    private long nextAccount = ACCOUNTS + 1;
    private int ddls;

    ChaosWriter(MariaDbInstance db, String schema, long seed) {
        super(db, "chaos-writer-" + schema, seed, 4, 5);
        this.db = db;
        this.schema = schema;
    }

    /** The schema with its three tables and their first rows. */
    static void createSchema(MariaDbInstance db, String schema) {
        db.execute("CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".items (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40) CHARACTER SET utf8mb4,"
                        + " KEY (v))",
                "CREATE TABLE " + schema + ".accounts (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, balance DECIMAL(12,2),"
                        + " UNIQUE KEY (email))",
                "CREATE TABLE " + schema + ".logs (src INT, msg VARCHAR(40) CHARACTER SET utf8mb4)",
                "INSERT INTO " + schema + ".items SELECT seq, seq % 977, CONCAT('n', seq) FROM mysql.seq_1_to_" + ITEMS,
                "INSERT INTO " + schema + ".accounts SELECT seq, CONCAT('a', seq), seq / 3 FROM mysql.seq_1_to_" + ACCOUNTS,
                "INSERT INTO " + schema + ".logs SELECT seq % 7, CONCAT('m', seq % 13) FROM mysql.seq_1_to_200");
    }

    /**
     * Runs one DDL between two transactions (alternately an ADD COLUMN with a default on one of the keyed tables
     * and a CREATE TABLE that the writer then writes into); returns it.
     */
    String ddl() {
        hold();
        try {
            int n = ++ddls;
            String sql;
            if (n % 2 == 1) {
                String table = (n / 2) % 2 == 0 ? "items" : "accounts";
                sql = "ALTER TABLE " + schema + "." + table + " ADD COLUMN c" + n + (n % 3 == 0
                        ? " VARCHAR(12) CHARACTER SET utf8mb4 DEFAULT 'd" + n + "'" : " INT NOT NULL DEFAULT " + n);
                db.execute(sql);
            } else {
                String table = "extra_" + n;
                sql = "CREATE TABLE " + schema + "." + table + " (id BIGINT PRIMARY KEY, v VARCHAR(40) CHARACTER SET utf8mb4, k INT)";
                db.execute(sql, "INSERT INTO " + schema + "." + table + " SELECT seq, CONCAT('x', seq), seq FROM mysql.seq_1_to_20");
                extraNext[n] = 21;
                extraTables.add(table);
            }
            return sql;
        } finally {
            release();
        }
    }

    /** Every table of the schema the writer knows of. */
    List<String> tables() {
        List<String> all = new java.util.ArrayList<>(List.of("items", "accounts", "logs"));
        all.addAll(extraTables);
        return all.stream().map(t -> schema + "." + t).toList();
    }

    @Override
    protected String next() {
        int op = random.nextInt(100);
        if (op < 45) {
            return item();
        }
        if (op < 70) {
            return account();
        }
        if (op < 80 || extraTables.isEmpty()) {
            return log();
        }
        return extra(extraTables.get(random.nextInt(extraTables.size())));
    }

    private String item() {
        String t = schema + ".items";
        long some = 1 + (long) (random.nextDouble() * (nextItem - 1));
        int op = random.nextInt(10);
        if (op < 4) {
            long id = nextItem++;
            return "INSERT INTO " + t + " (id, v, note) VALUES (" + id + ", " + random.nextInt(977) + ", " + (random.nextInt(6) == 0
                    ? "NULL" : "'w" + id + " ü'") + ")";
        }
        if (op < 7) {
            return "UPDATE " + t + " SET v = v + 1, note = CONCAT(LEFT(COALESCE(note, ''), 30), '+') WHERE id = " + some;
        }
        if (op < 8) {
            return "UPDATE " + t + " SET id = " + (nextItem++) + " WHERE id = " + some; // a primary key change
        }
        return "DELETE FROM " + t + " WHERE id = " + some;
    }

    private String account() {
        String t = schema + ".accounts";
        long some = 1 + (long) (random.nextDouble() * (nextAccount - 1));
        int op = random.nextInt(10);
        if (op < 3) {
            long id = nextAccount++;
            return "INSERT INTO " + t + " (id, email, balance) VALUES (" + id + ", 'a" + id + "', " + random.nextInt(10_000) / 100.0 + ")";
        }
        if (op < 7) {
            return "UPDATE " + t + " SET balance = balance + 0.25 WHERE id = " + some;
        }
        if (op < 8) {
            long id = nextAccount++; // both keys change: the unique key's old and new value meet other rows in causality
            return "UPDATE " + t + " SET id = " + id + ", email = 'a" + id + "' WHERE id = " + some;
        }
        return "DELETE FROM " + t + " WHERE id = " + some;
    }

    private String log() {
        int src = random.nextInt(7);
        int op = random.nextInt(10);
        if (op < 6) {
            return "INSERT INTO " + schema + ".logs (src, msg) VALUES (" + src + ", 'm" + random.nextInt(13) + "')"; // duplicates on purpose
        }
        if (op < 8) {
            return "UPDATE " + schema + ".logs SET msg = CONCAT(LEFT(msg, 30), '!') WHERE src = " + src + " LIMIT 1";
        }
        return "DELETE FROM " + schema + ".logs WHERE src = " + src + " LIMIT 1";
    }

    private String extra(String table) {
        int n = Integer.parseInt(table.substring("extra_".length()));
        String t = schema + "." + table;
        long some = 1 + (long) (random.nextDouble() * (extraNext[n] - 1));
        int op = random.nextInt(10);
        if (op < 5) {
            long id = extraNext[n]++;
            return "INSERT INTO " + t + " (id, v, k) VALUES (" + id + ", 'x" + id + "', " + random.nextInt(100) + ")";
        }
        if (op < 8) {
            return "UPDATE " + t + " SET k = k + 1 WHERE id = " + some;
        }
        return "DELETE FROM " + t + " WHERE id = " + some;
    }
}
