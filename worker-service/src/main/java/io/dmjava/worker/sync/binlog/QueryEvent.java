package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;

/**
 * A statement logged as text: a DDL (or another non-transactional statement). {@code BEGIN}, {@code COMMIT}
 * and {@code XA} markers never arrive as query events (a COMMIT becomes a {@link TxnCommit}).
 *
 * @param schema the session's current database when the statement ran (may be empty)
 * @param sql      the statement as logged
 * @param position where the event ends (the stream resumes there)
 * @param startPos the event's own offset in {@code position.file()} (what SHOW BINLOG EVENTS and DM show)
 */
public record QueryEvent(String schema, String sql, BinlogPosition position, long startPos) implements BinlogEvent {
}
