package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;

/**
 * An upstream binlog event the sync unit acts on. {@link #position()} is where the stream stands after the
 * event: file and end offset of the event, and the GTID set executed so far. Inside a transaction the GTID set
 * is the one before the transaction; a {@link TxnCommit} or a DDL {@link QueryEvent} carries the set that
 * includes it. Replication can resume exactly at the position of a {@link TxnCommit} or a DDL.
 */
public sealed interface BinlogEvent permits RowsEvent, QueryEvent, TxnCommit, Heartbeat {
    BinlogPosition position();
}
