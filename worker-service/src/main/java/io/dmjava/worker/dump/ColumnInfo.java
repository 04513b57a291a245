package io.dmjava.worker.dump;

import io.dmjava.worker.db.SqlText;
import java.util.Locale;
import java.util.Set;

/**
 * One upstream column as information_schema describes it.
 *
 * @param name       the column name
 * @param dataType   lower-case {@code DATA_TYPE} ({@code int}, {@code varchar}, {@code json}, ...)
 * @param columnType the full {@code COLUMN_TYPE} ({@code int(10) unsigned}, {@code enum('a','b')}, ...)
 * @param charset    character set of a text column, else {@code null}
 * @param collation  collation of a text column, else {@code null}
 * @param generated  a VIRTUAL or STORED generated column: never dumped nor loaded (the target computes it)
 */
public record ColumnInfo(String name, String dataType, String columnType, String charset, String collation,
                         boolean generated) {
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    public ColumnInfo {
        dataType = dataType.toLowerCase(Locale.ROOT);
    }

    public boolean isInteger() {
        return INTEGER_TYPES.contains(dataType);
    }

    public boolean isText() {
        return charset != null && !"binary".equalsIgnoreCase(charset);
    }

    public boolean isJson() {
        return "json".equals(dataType);
    }

    public String quoted() {
        return SqlText.quote(name);
    }

    /**
     * How the dump selects this column so that the bytes it receives load back to the identical value.
     * FLOAT is widened to DOUBLE first because the server prints FLOAT with only 6 significant digits, while
     * a DOUBLE prints the shortest text that round-trips (and a float is exactly representable as a double).
     * JSON and types known only by their text form travel as utf8mb4 text (MySQL's binary JSON has no raw
     * byte form that loads back). See {@link ValueForm}.
     */
    public String selectExpression() {
        String q = quoted();
        return switch (ValueForm.of(dataType)) {
            case TEXT -> "float".equals(dataType) ? "CAST((" + q + " * 1e0) AS BINARY)" : "CAST(" + q + " AS BINARY)";
            case RAW -> q;
            case UTF8 -> "CAST(" + q + " AS CHAR CHARACTER SET utf8mb4)";
        };
    }
}
