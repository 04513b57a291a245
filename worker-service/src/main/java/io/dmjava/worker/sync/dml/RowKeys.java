package io.dmjava.worker.sync.dml;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.sync.schema.ColumnSchema;
import io.dmjava.worker.sync.schema.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Causality keys of a row: two changes whose key sets intersect must be applied in binlog order, on one
 * queue. A missed conflict reorders changes of one row (wrong data); a false one only costs
 * parallelism. So values are normalised towards over-conflicting: text is lower-cased, stripped of
 * accents and of trailing spaces, as case- and accent-insensitive collations and PAD SPACE compare it.
 *
 * <p>Key format: {@code schema.table|KEY|value|value}, where KEY is {@code PRIMARY} or
 * {@code UNIQUE(col,col)} and every part has {@code \}, {@code |}, {@code .}, {@code ,}, {@code (} and
 * {@code )} escaped with a backslash, so distinct keys never collide as strings.
 */
public final class RowKeys {
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private RowKeys() {
    }

    /**
     * One key per primary or unique key whose values in {@code row} are all non-null; when there is none
     * (no key, or NULL in every unique key), a single table-wide key, so that such a row conflicts
     * with every other keyless change of its table. Keys are namespaced by the routed {@code target}
     * table: shards merged into one table share its key space. For an update, the caller unions the keys
     * of the before and after images.
     */
    public static List<String> keys(TableName target, TableSchema schema, Object[] row) {
        String table = escape(target.schema()) + "." + escape(target.table());
        List<String> keys = new ArrayList<>();
        if (!schema.primaryKey().isEmpty()) {
            addKey(keys, table + "|PRIMARY", schema, schema.primaryKey(), row);
        }
        for (List<String> uk : schema.uniqueKeys()) {
            StringBuilder name = new StringBuilder(table).append("|UNIQUE(");
            for (int k = 0; k < uk.size(); k++) {
                name.append(k > 0 ? "," : "").append(escape(uk.get(k).toLowerCase(Locale.ROOT)));
            }
            addKey(keys, name.append(')').toString(), schema, uk, row);
        }
        if (keys.isEmpty()) {
            keys.add(table);
        }
        return keys;
    }

    private static void addKey(List<String> keys, String name, TableSchema schema, List<String> columns, Object[] row) {
        StringBuilder key = new StringBuilder(name);
        for (String column : columns) {
            int i = schema.indexOf(column);
            if (i < 0 || i >= row.length) {
                throw new IllegalArgumentException("key column " + column + " is not in the row of "
                        + schema.schema() + "." + schema.table());
            }
            if (row[i] == null) {
                return; // NULLs never collide in a unique key
            }
            key.append('|').append(escape(normalise(schema.columns().get(i), row[i])));
        }
        keys.add(key.toString());
    }

    static String normalise(ColumnSchema column, Object value) {
        if (value instanceof String s) {
            return foldText(s);
        }
        if (value instanceof byte[] bytes) {
            // raw text travels as bytes; ISO-8859-1 maps each byte to one char, so no two byte strings meet
            return column.isRawText() ? foldText(new String(bytes, StandardCharsets.ISO_8859_1)) : SqlText.hex(bytes);
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double d && d == 0.0) {
            return "0"; // -0.0 and 0.0 are one key value
        }
        if (value instanceof Float f && f == 0.0f) {
            return "0";
        }
        return String.valueOf(value);
    }

    private static String foldText(String s) {
        String folded = s;
        if (!isAscii(s)) {
            folded = COMBINING_MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFKD)).replaceAll("");
        }
        folded = folded.toLowerCase(Locale.ROOT);
        int end = folded.length();
        while (end > 0 && folded.charAt(end - 1) == ' ') {
            end--;
        }
        return folded.substring(0, end);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String escape(String part) {
        StringBuilder sb = new StringBuilder(part.length() + 4);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' || c == '|' || c == '.' || c == ',' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
