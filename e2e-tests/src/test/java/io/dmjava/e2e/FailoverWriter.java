package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;

/**
 * Changes the big tables of {@link FullMigrationFailoverE2ETest} in small random transactions while dump, load
 * and the failover run: inserts past the end, updates, primary key moves (from one chunk's range to the
 * last one's) and deletes, spread over every chunk, plus inserts into the table without a key. {@link #hold()}
 * keeps it out so the test can take a position.
 */
final class FailoverWriter extends GatedWriter {
    private final int tables;
    private final long[] next;

    FailoverWriter(MariaDbInstance db, int tables, long rows) {
        super(db, "failover-writer", 7, 4, 3);
        this.tables = tables;
        this.next = new long[tables + 1];
        java.util.Arrays.fill(next, rows + 1);
    }

    @Override
    protected String next() {
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
