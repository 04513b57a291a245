package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;
import java.io.Serializable;
import java.util.List;

/**
 * A write/update/delete rows event with the raw values the binlog decoder produced (convert them with
 * {@link ValueConverter} once the column types are known).
 *
 * @param schema      upstream database (from the table map)
 * @param table       upstream table
 * @param kind        insert, update or delete
 * @param before      before images (update, delete); empty for insert
 * @param after       after images (insert, update); empty for delete. For updates {@code before.get(i)} pairs
 *                    with {@code after.get(i)}
 * @param columnCount number of columns in the table map
 * @param columnNames column names from the table map when the server sends them
 *                    ({@code binlog_row_metadata=FULL}); empty otherwise
 */
public record RowsEvent(String schema, String table, RowKind kind, List<Serializable[]> before,
                        List<Serializable[]> after, int columnCount, List<String> columnNames,
                        BinlogPosition position) implements BinlogEvent {
}
