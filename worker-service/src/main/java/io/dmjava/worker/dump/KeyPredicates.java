package io.dmjava.worker.dump;

import io.dmjava.worker.db.SqlText;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lexicographic comparisons of a composite key with a boundary, written as nested OR/AND so that every
 * server's range optimizer can use the index. {@link #below} and {@link #atLeast} are exact complements.
 */
final class KeyPredicates {
    private KeyPredicates() {
    }

    /** {@code key < boundary}; appends the placeholder values to {@code params}. */
    static String below(List<ColumnInfo> key, List<byte[]> boundary, List<byte[]> params) {
        return build(key, boundary, params, 0, "<", "<");
    }

    /** {@code key >= boundary}; appends the placeholder values to {@code params}. */
    static String atLeast(List<ColumnInfo> key, List<byte[]> boundary, List<byte[]> params) {
        return build(key, boundary, params, 0, ">", ">=");
    }

    private static String build(List<ColumnInfo> key, List<byte[]> boundary, List<byte[]> params, int i,
                                String strict, String last) {
        ColumnInfo col = key.get(i);
        byte[] value = boundary.get(i);
        if (i == key.size() - 1) {
            return "(" + col.quoted() + " " + last + " " + value(col, value, params) + ")";
        }
        String head = col.quoted() + " " + strict + " " + value(col, value, params);
        String eq = col.quoted() + " = " + value(col, value, params);
        return "(" + head + " OR (" + eq + " AND " + build(key, boundary, params, i + 1, strict, last) + "))";
    }

    /**
     * The SQL for a boundary value. Integers are inlined (exact, and compared as integers); text is
     * reinterpreted in the column's character set and collation so the comparison follows the same order as
     * the index; anything else is bound as a binary string.
     */
    private static String value(ColumnInfo col, byte[] value, List<byte[]> params) {
        if (col.isInteger()) {
            String digits = new String(value, StandardCharsets.US_ASCII);
            if (digits.matches("-?[0-9]+")) {
                return digits;
            }
        }
        params.add(value);
        if (col.isText() && col.collation() != null) {
            return "CONVERT(? USING " + col.charset() + ") COLLATE " + SqlText.quote(col.collation());
        }
        return "?";
    }
}
