package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;

/**
 * The end of an upstream transaction (XID event, or a COMMIT query for non-transactional engines).
 *
 * @param timestampMillis when the upstream wrote the event (epoch millis), for replication lag
 */
public record TxnCommit(long timestampMillis, BinlogPosition position) implements BinlogEvent {
}
