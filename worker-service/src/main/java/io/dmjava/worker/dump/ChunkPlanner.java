package io.dmjava.worker.dump;

import io.dmjava.worker.db.SqlText;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Splits a table into chunks of about {@code rowsPerChunk} rows along its key.
 * <ul>
 *   <li>Key led by an integer column: equal-width ranges of that column between MIN and MAX (index lookups,
 *       no scan). The row count comes from statistics, checked with COUNT(*) when they look too small.</li>
 *   <li>Other keys: one pass over the key index picks every n-th key as a boundary.</li>
 *   <li>No usable key: one chunk, streamed.</li>
 * </ul>
 * The first chunk is unbounded below and the last unbounded above, so rows outside the planned range
 * (the plan may run outside the snapshot) still land in a chunk.
 */
final class ChunkPlanner {
    /** A plan never has more chunks than this per table, whatever the statistics say. */
    static final int MAX_CHUNKS = 100_000;

    private ChunkPlanner() {
    }

    static List<ChunkSpec> plan(Connection c, TableInfo table, int tableIndex, long rowsPerChunk, BooleanSupplier stop)
            throws SQLException {
        if (table.key() == null) {
            return List.of(new ChunkSpec(ChunkSpec.idOf(tableIndex, 0), table, tableIndex, 0, null, List.of()));
        }
        return table.key().leadsWithInteger()
                ? planIntegerRanges(c, table, tableIndex, rowsPerChunk)
                : planSampled(c, table, tableIndex, rowsPerChunk, stop);
    }

    private static List<ChunkSpec> planIntegerRanges(Connection c, TableInfo table, int tableIndex, long rowsPerChunk)
            throws SQLException {
        String col = table.key().columns().get(0).quoted();
        BigInteger min;
        BigInteger max;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CAST(MIN(" + col + ") AS CHAR), CAST(MAX(" + col + ") AS CHAR) FROM "
                     + table.name().quoted())) {
            rs.next();
            String lo = rs.getString(1);
            String hi = rs.getString(2);
            if (lo == null || hi == null) {
                return List.of(new ChunkSpec(ChunkSpec.idOf(tableIndex, 0), table, tableIndex, 0, null, List.of()));
            }
            min = new BigInteger(lo);
            max = new BigInteger(hi);
        }
        BigInteger width = max.subtract(min).add(BigInteger.ONE);
        long rows = table.estimatedRows();
        if (rows < rowsPerChunk && width.compareTo(BigInteger.valueOf(rowsPerChunk)) > 0) {
            rows = count(c, table); // stale statistics would otherwise dump a big table as one chunk
        }
        long chunks = Math.max(1, Math.min(MAX_CHUNKS, (rows + rowsPerChunk - 1) / rowsPerChunk));
        if (width.compareTo(BigInteger.valueOf(chunks)) < 0) {
            chunks = width.longValueExact();
        }
        BigInteger step = width.add(BigInteger.valueOf(chunks - 1)).divide(BigInteger.valueOf(chunks));
        List<ChunkSpec> out = new ArrayList<>();
        BigInteger previous = null;
        for (int i = 0; i < chunks; i++) {
            BigInteger upper = i == chunks - 1 ? null : min.add(step.multiply(BigInteger.valueOf(i + 1)));
            List<String> parts = new ArrayList<>();
            if (previous != null) {
                parts.add(col + " >= " + previous);
            }
            if (upper != null) {
                parts.add(col + " < " + upper);
            }
            String where = parts.isEmpty() ? null : String.join(" AND ", parts);
            out.add(new ChunkSpec(ChunkSpec.idOf(tableIndex, i), table, tableIndex, i, where, List.of()));
            previous = upper;
        }
        return out;
    }

    private static List<ChunkSpec> planSampled(Connection c, TableInfo table, int tableIndex, long rowsPerChunk,
                                               BooleanSupplier stop) throws SQLException {
        List<ColumnInfo> key = table.key().columns();
        List<List<byte[]>> boundaries = new ArrayList<>();
        String select = "SELECT " + key.stream().map(ColumnInfo::selectExpression).collect(Collectors.joining(","))
                + " FROM " + table.name().quoted() + " FORCE INDEX (" + SqlText.quote(table.key().indexName()) + ")"
                + " ORDER BY " + key.stream().map(ColumnInfo::quoted).collect(Collectors.joining(","));
        try (Statement st = c.createStatement()) {
            st.setFetchSize(4096);
            try (ResultSet rs = st.executeQuery(select)) {
                long n = 0;
                while (rs.next()) {
                    if (n > 0 && n % rowsPerChunk == 0 && boundaries.size() < MAX_CHUNKS - 1) {
                        List<byte[]> values = new ArrayList<>(key.size());
                        for (int i = 1; i <= key.size(); i++) {
                            values.add(rs.getBytes(i));
                        }
                        boundaries.add(values);
                    }
                    if (++n % 100_000 == 0 && stop.getAsBoolean()) {
                        break;
                    }
                }
            }
        }
        List<ChunkSpec> out = new ArrayList<>();
        for (int i = 0; i <= boundaries.size(); i++) {
            List<String> parts = new ArrayList<>();
            List<byte[]> params = new ArrayList<>();
            if (i > 0) {
                parts.add(KeyPredicates.atLeast(key, boundaries.get(i - 1), params));
            }
            if (i < boundaries.size()) {
                parts.add(KeyPredicates.below(key, boundaries.get(i), params));
            }
            String where = parts.isEmpty() ? null : String.join(" AND ", parts);
            out.add(new ChunkSpec(ChunkSpec.idOf(tableIndex, i), table, tableIndex, i, where, params));
        }
        return out;
    }

    private static long count(Connection c, TableInfo table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table.name().quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
