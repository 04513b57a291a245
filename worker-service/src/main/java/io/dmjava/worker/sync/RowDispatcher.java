package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.sync.apply.Job;
import io.dmjava.worker.sync.binlog.RowKind;
import io.dmjava.worker.sync.binlog.RowsEvent;
import io.dmjava.worker.sync.binlog.ValueConverter;
import io.dmjava.worker.sync.causality.Causality;
import io.dmjava.worker.sync.checkpoint.EventSeq;
import io.dmjava.worker.sync.dml.RowKeys;
import io.dmjava.worker.sync.filter.BinlogFilter;
import io.dmjava.worker.sync.schema.TableSchema;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a rows event into jobs on the apply queues: selects and routes the table, skips what the binlog
 * filter ignores, reads the table's structure as of this position, converts values, assigns each row to a
 * queue by its keys, and drops rows an earlier run or connection already handed over.
 */
final class RowDispatcher {
    private final SyncRun run;
    private final TableRouter router;
    private final BinlogFilter filter;
    private long rows;

    RowDispatcher(SyncRun run, TableRouter router, BinlogFilter filter) {
        this.run = run;
        this.router = router;
        this.filter = filter;
    }

    long rows() {
        return rows;
    }

    void handle(RowsEvent e) throws InterruptedException {
        run.insideTransaction();
        Optional<TableName> target = router.route(e.schema(), e.table());
        TableName upstream = new TableName(e.schema(), e.table());
        if (target.isEmpty() || filter.ignoresDml(upstream, e.kind())) {
            return;
        }
        TableSchema schema = schemaOf(upstream, e);
        boolean safe = run.safeModeAt(e.position());
        int count = e.kind() == RowKind.INSERT ? e.after().size() : e.before().size();
        for (int i = 0; i < count; i++) {
            EventSeq seq = new EventSeq(e.position(), i);
            if (run.dispatchedBefore(seq)) {
                continue;
            }
            Object[] before = e.kind() == RowKind.INSERT ? null : convert(schema, e.before().get(i));
            Object[] after = e.kind() == RowKind.DELETE ? null : convert(schema, e.after().get(i));
            Set<String> keys = new LinkedHashSet<>();
            if (before != null) {
                keys.addAll(RowKeys.keys(target.get(), schema, before));
            }
            if (after != null) {
                keys.addAll(RowKeys.keys(target.get(), schema, after));
            }
            Causality.Assignment a = run.causality.assign(keys);
            if (a.conflict()) {
                run.drain();
                a = run.causality.assign(keys);
            }
            run.dispatched(seq);
            rows++;
            if (run.committedBefore(a.queue(), seq)) {
                continue;
            }
            run.queues.put(a.queue(), new Job(e.kind(), target.get(), schema, before, after, safe, seq), run.stop);
        }
    }

    private TableSchema schemaOf(TableName upstream, RowsEvent e) {
        TableSchema schema;
        try {
            schema = run.tracker.table(upstream);
        } catch (SQLException ex) {
            throw new DmException(ErrorCode.SYNC_TRACKER_FAILED, ex, e.position(), SqlErrors.describe(ex),
                    "(reading the structure of " + upstream + ")");
        }
        if (schema == null) {
            throw new DmException(ErrorCode.SYNC_SCHEMA_UNKNOWN, upstream, e.position());
        }
        if (schema.columns().size() != e.columnCount()) {
            throw new DmException(ErrorCode.SYNC_SCHEMA_MISMATCH, upstream, e.position(), e.columnCount(),
                    schema.columns().size(), "tracked columns " + names(schema));
        }
        if (!e.columnNames().isEmpty()) {
            for (int i = 0; i < e.columnCount(); i++) {
                if (!e.columnNames().get(i).equalsIgnoreCase(schema.columns().get(i).name())) {
                    throw new DmException(ErrorCode.SYNC_SCHEMA_MISMATCH, upstream, e.position(), e.columnCount(),
                            schema.columns().size(), "the binlog names columns " + e.columnNames() + ", the tracker " + names(schema));
                }
            }
        }
        return schema;
    }

    private static List<String> names(TableSchema s) {
        List<String> out = new ArrayList<>();
        s.columns().forEach(c -> out.add(c.name()));
        return out;
    }

    private Object[] convert(TableSchema schema, Serializable[] raw) {
        Object[] out = new Object[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = ValueConverter.toJdbc(schema.columns().get(i), raw[i]);
        }
        return out;
    }
}
