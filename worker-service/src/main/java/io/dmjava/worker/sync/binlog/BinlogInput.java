package io.dmjava.worker.sync.binlog;

import io.dmjava.worker.dump.BinlogPosition;
import java.time.Duration;

/**
 * Where the sync unit's events come from: the upstream's replication stream ({@link BinlogStream}) or the worker's
 * relay files ({@link RelayStream}). Both give the same events at the same positions (the relay keeps the
 * upstream's file names and offsets), so a checkpoint taken from one is valid in the other.
 */
public interface BinlogInput extends AutoCloseable {
    /** DM's {@code binlog_type}: {@code remote} for the upstream, {@code local} for the relay. */
    String type();

    /**
     * The next event, waiting up to {@code timeout}; null when none came in time (or the thread was interrupted).
     *
     * @throws BinlogStreamException when the input cannot go on; every event before the failure was returned first
     */
    BinlogEvent next(Duration timeout) throws BinlogStreamException;

    /** The position of the last event returned (the start before the first). */
    BinlogPosition position();

    @Override
    void close();
}
