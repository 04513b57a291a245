package io.dmjava.worker.dump;

import java.util.List;

/**
 * The key a table is split into chunks by: its primary key or, lacking one, its first unique key whose
 * columns are all NOT NULL (so every row has exactly one key value and ranges partition the table).
 */
public record KeyInfo(String indexName, List<ColumnInfo> columns) {
    public KeyInfo {
        columns = List.copyOf(columns);
    }

    /** Whether ranges over the first column alone can split the table cheaply (min/max instead of a scan). */
    public boolean leadsWithInteger() {
        return columns.get(0).isInteger();
    }
}
