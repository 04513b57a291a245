package io.dmjava.worker.sync.schema;

/**
 * One column of an upstream table as the schema tracker knows it at the current binlog position.
 *
 * @param name       column name
 * @param dataType   lower-case {@code DATA_TYPE} of information_schema ({@code int}, {@code varchar}, {@code datetime}, ...)
 * @param columnType full lower-case {@code COLUMN_TYPE} ({@code int(10) unsigned}, {@code enum('a','b')}, ...)
 * @param unsigned   an unsigned numeric column (binlog values of these arrive signed and must be widened)
 * @param charset    the character set of a text column ({@code utf8mb4}, {@code latin1}, ...); null for others
 * @param collation  the collation of a text column ({@code utf8mb4_general_ci}, ...); null for others
 * @param generated  a generated (virtual or stored) column: present in row images, never written downstream
 * @param nullable   whether the column accepts NULL
 */
public record ColumnSchema(String name, String dataType, String columnType, boolean unsigned, String charset, String collation,
                           boolean generated, boolean nullable) {
    /** A text column whose values travel as Java strings (the UTF-8 family and ASCII, which UTF-8 covers). */
    public boolean isUtf8Text() {
        return charset != null && (charset.startsWith("utf8") || charset.equals("ascii"));
    }

    /**
     * A text column in another character set: its values travel as the raw bytes and are written as
     * {@code CONVERT(? USING charset) COLLATE collation}, so that no byte is re-encoded on the way.
     */
    public boolean isRawText() {
        return charset != null && !isUtf8Text() && !charset.equals("binary");
    }
}
