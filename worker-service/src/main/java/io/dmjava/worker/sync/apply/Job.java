package io.dmjava.worker.sync.apply;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.sync.binlog.RowKind;
import io.dmjava.worker.sync.checkpoint.EventSeq;
import io.dmjava.worker.sync.schema.TableSchema;

/**
 * One row change ready for the downstream: values already converted to JDBC parameters.
 *
 * @param target   the routed downstream table
 * @param schema   the upstream table's structure when the change was logged
 * @param before   the before image (update, delete), else null
 * @param after    the after image (insert, update), else null
 * @param safeMode write it idempotently (INSERT as REPLACE, UPDATE as DELETE + REPLACE)
 * @param seq      where the change is in the binlog
 */
public record Job(RowKind kind, TableName target, TableSchema schema, Object[] before, Object[] after, boolean safeMode,
                  EventSeq seq) {
}
