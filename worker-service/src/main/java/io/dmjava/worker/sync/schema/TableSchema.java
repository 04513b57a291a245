package io.dmjava.worker.sync.schema;

import java.util.List;

/**
 * An upstream table's structure at the current binlog position: columns in binlog (ordinal) order and keys.
 *
 * @param schema     upstream database
 * @param table      upstream table
 * @param columns    every column, generated ones included, in ordinal order (the order of binlog row images)
 * @param primaryKey primary key column names; empty when there is none
 * @param uniqueKeys the other unique keys, each as its column names
 */
public record TableSchema(String schema, String table, List<ColumnSchema> columns, List<String> primaryKey,
                          List<List<String>> uniqueKeys) {
    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }

    /** The column named {@code name} (case-insensitive, as MySQL compares column names), or null. */
    public ColumnSchema column(String name) {
        for (ColumnSchema c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** Position of the column in row images, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
