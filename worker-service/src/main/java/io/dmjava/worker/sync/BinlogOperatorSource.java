package io.dmjava.worker.sync;

import io.dmjava.model.task.BinlogOperator;
import java.util.Optional;

/**
 * The binlog operators (DM's {@code binlog skip|replace}) waiting for DDL events of one subtask. Read at each DDL
 * event, so an operator added while the subtask is paused applies after the resume.
 */
public interface BinlogOperatorSource {
    /** The operator for the DDL event that starts at {@code start} and ends at {@code end} in {@code file}. */
    Optional<BinlogOperator> at(String file, long start, long end);

    /** The operator's event is behind the checkpoint now: it will not be needed again. */
    void used(BinlogOperator op);

    /** A subtask without operators (tests, or a worker without etcd). */
    static BinlogOperatorSource none() {
        return new BinlogOperatorSource() {
            @Override
            public Optional<BinlogOperator> at(String file, long start, long end) {
                return Optional.empty();
            }

            @Override
            public void used(BinlogOperator op) {
                // nothing stored
            }
        };
    }

    /** Creates the source of one subtask. */
    interface Factory {
        BinlogOperatorSource forSubtask(String task, String source);
    }
}
