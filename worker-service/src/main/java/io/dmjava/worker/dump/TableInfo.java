package io.dmjava.worker.dump;

import io.dmjava.model.task.TableName;
import java.util.List;

/**
 * One upstream table selected for the dump.
 *
 * @param name          upstream schema and table
 * @param columns       all columns in table order
 * @param key           the chunking key, or {@code null} when the table has no usable PK/UK
 * @param estimatedRows information_schema's row estimate (InnoDB statistics, may be stale)
 * @param avgRowLength  information_schema's average row length in bytes
 */
public record TableInfo(TableName name, List<ColumnInfo> columns, KeyInfo key, long estimatedRows, long avgRowLength) {
    public TableInfo {
        columns = List.copyOf(columns);
    }

    /** The columns whose values are dumped and loaded: all but generated ones. */
    public List<ColumnInfo> dumpColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }
}
