package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compares an upstream table (or the union of sharded tables) with a downstream table by content: row
 * count and two order-independent sums of per-row hashes (duplicates count), so it works for tables without
 * a key and for shards merged into one table. On a difference it lists the differing rows.
 */
final class TableCompare {
    private TableCompare() {
    }

    /** Column names of a table in definition order, with their types (`name type`). */
    static List<String> columns(MariaDbInstance db, String schema, String table) {
        return Sql.rows(db, "SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + schema + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION");
    }

    private static String rowExpr(List<String> columns) {
        return "CONCAT_WS('|', " + columns.stream()
                .map(c -> "COALESCE(CAST(`" + c.substring(0, c.indexOf(' ')) + "` AS CHAR), '\\\\N')")
                .collect(Collectors.joining(", ")) + ")";
    }

    /** {@code count|sum(crc32)|sum(md5 prefix)} of the rows of {@code from} (a table or a derived table). */
    static String contentSum(MariaDbInstance db, List<String> columns, String from) {
        String row = rowExpr(columns);
        return Sql.rows(db, "SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0), COALESCE(SUM(CONV(LEFT(MD5(" + row
                + "), 15), 16, 10)), 0) FROM " + from).get(0);
    }

    /**
     * Null when {@code upstream tables} (their union) and {@code downstream} hold the same rows with the same
     * columns; else a description of the difference.
     */
    static String difference(MariaDbInstance up, List<String> upstreamTables, MariaDbInstance down, String downstream) {
        String[] first = upstreamTables.get(0).split("\\.");
        List<String> cols = columns(up, first[0], first[1]);
        String[] d = downstream.split("\\.");
        List<String> downCols = columns(down, d[0], d[1]);
        if (!cols.equals(downCols)) {
            return downstream + ": columns differ: upstream " + cols + ", downstream " + downCols;
        }
        String from = upstreamTables.size() == 1 ? upstreamTables.get(0)
                : "(" + upstreamTables.stream().map(t -> "SELECT * FROM " + t).collect(Collectors.joining(" UNION ALL ")) + ") u";
        String upSum = contentSum(up, cols, from);
        String downSum = contentSum(down, cols, downstream);
        if (upSum.equals(downSum)) {
            return null;
        }
        return downstream + ": content differs (count|crc|md5) upstream " + upSum + ", downstream " + downSum + "\n"
                + rowDiff(up, from, down, downstream, cols);
    }

    /**
     * How many rows the two sides do not share (a row missing on one side, or there more often, counts once per
     * copy); 0 when they hold the same rows. Columns that differ count every row of both sides.
     */
    static long divergedRows(MariaDbInstance up, String upstream, MariaDbInstance down, String downstream) {
        String[] u = upstream.split("\\.");
        String[] d = downstream.split("\\.");
        List<String> cols = columns(up, u[0], u[1]);
        if (!cols.equals(columns(down, d[0], d[1]))) {
            return Sql.count(up, upstream) + (columns(down, d[0], d[1]).isEmpty() ? 0 : Sql.count(down, downstream));
        }
        return counts(up, upstream, down, downstream, cols).values().stream().mapToLong(Math::abs).sum();
    }

    /** Per row content: its copies upstream minus its copies downstream. */
    private static Map<String, Integer> counts(MariaDbInstance up, String from, MariaDbInstance down, String downstream,
                                               List<String> cols) {
        String row = rowExpr(cols);
        Map<String, Integer> counts = new HashMap<>();
        Sql.rows(up, "SELECT " + row + " FROM " + from).forEach(r -> counts.merge(r, 1, Integer::sum));
        Sql.rows(down, "SELECT " + row + " FROM " + downstream).forEach(r -> counts.merge(r, -1, Integer::sum));
        return counts;
    }

    /** The rows present on one side more often than on the other (at most 20 of each). */
    private static String rowDiff(MariaDbInstance up, String from, MariaDbInstance down, String downstream, List<String> cols) {
        Map<String, Integer> counts = counts(up, from, down, downstream, cols);
        List<String> onlyUp = new ArrayList<>();
        List<String> onlyDown = new ArrayList<>();
        counts.forEach((r, n) -> {
            if (n > 0) {
                onlyUp.add(n + "x " + r);
            } else if (n < 0) {
                onlyDown.add(-n + "x " + r);
            }
        });
        return "  missing downstream (" + onlyUp.size() + "): " + onlyUp.stream().sorted().limit(20).toList()
                + "\n  extra downstream (" + onlyDown.size() + "): " + onlyDown.stream().sorted().limit(20).toList();
    }
}
