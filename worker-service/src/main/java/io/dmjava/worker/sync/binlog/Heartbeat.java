package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;

/** The upstream is alive and has nothing newer than {@link #position()} (a heartbeat with no new events). */
public record Heartbeat(BinlogPosition position) implements BinlogEvent {
}
