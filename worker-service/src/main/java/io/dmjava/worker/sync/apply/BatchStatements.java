package io.dmjava.worker.sync.apply;

import io.dmjava.worker.sync.binlog.RowKind;
import io.dmjava.worker.sync.dml.DmlBuilder;
import io.dmjava.worker.sync.dml.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a queue's batch of row changes into statements, merging runs of inserts (or of deletes) into one
 * table into a single multi-row statement. Merging keeps order: the batch comes from one queue, where
 * changes to the same key are in binlog order, and a run is only merged while nothing else intervenes.
 */
final class BatchStatements {
    private BatchStatements() {
    }

    static List<Stmt> of(List<Job> batch) {
        List<Stmt> out = new ArrayList<>();
        int i = 0;
        while (i < batch.size()) {
            Job j = batch.get(i);
            int end = i + 1;
            while (end < batch.size() && mergeable(j, batch.get(end))) {
                end++;
            }
            List<Job> run = batch.subList(i, end);
            switch (j.kind()) {
                case INSERT -> out.add(DmlBuilder.insert(j.target(), j.schema(), run.stream().map(Job::after).toList(),
                        useReplace(j)));
                case DELETE -> out.addAll(DmlBuilder.delete(j.target(), j.schema(), run.stream().map(Job::before).toList()));
                case UPDATE -> {
                    for (Job u : run) {
                        if (useReplace(u)) {
                            out.addAll(DmlBuilder.safeUpdate(u.target(), u.schema(), u.before(), u.after()));
                        } else {
                            out.add(DmlBuilder.update(u.target(), u.schema(), u.before(), u.after()));
                        }
                    }
                }
            }
            i = end;
        }
        return out;
    }

    /**
     * Safe mode rewrites only tables with a row key: without one, REPLACE cannot recognise a row that is
     * already there, so replays of such tables are made exact by skipping, not by rewriting.
     */
    private static boolean useReplace(Job j) {
        return j.safeMode() && DmlBuilder.hasRowKey(j.schema());
    }

    private static boolean mergeable(Job a, Job b) {
        return a.kind() == b.kind() && a.kind() != RowKind.UPDATE && a.target().equals(b.target())
                && a.schema() == b.schema() && useReplace(a) == useReplace(b);
    }
}
