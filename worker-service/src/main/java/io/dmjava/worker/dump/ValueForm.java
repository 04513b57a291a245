package io.dmjava.worker.dump;

import java.util.Set;

/**
 * How a column's values travel in a chunk file, decided by its {@code DATA_TYPE}. The dump selects each form
 * its own way ({@link ColumnInfo#selectExpression()}) and the loader reads it back the matching way.
 */
public enum ValueForm {
    /** The server's exact ASCII text: numbers, dates, times. Loaded as a string, which the server parses. */
    TEXT,
    /** The stored bytes in the column's own character set: strings, binaries, ENUM/SET, BIT, spatial. */
    RAW,
    /** utf8mb4 text, converted on load: JSON, and types we only know by their text form (INET6, UUID, ...). */
    UTF8;

    private static final Set<String> TEXT_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "real", "date", "time", "datetime", "timestamp", "year");
    private static final Set<String> RAW_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "enum", "set", "bit",
            "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection");

    /** The form for a lower-case {@code DATA_TYPE}. */
    public static ValueForm of(String dataType) {
        if (TEXT_TYPES.contains(dataType)) {
            return TEXT;
        }
        return RAW_TYPES.contains(dataType) ? RAW : UTF8;
    }
}
