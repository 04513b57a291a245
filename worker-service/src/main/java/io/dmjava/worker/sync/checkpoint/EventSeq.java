package io.dmjava.worker.sync.checkpoint;

import io.dmjava.worker.dump.BinlogPosition;
import java.util.Comparator;

/**
 * The place of one row change in the upstream binlog: the end position of its rows event and the row's index
 * inside that event. Rows of one event may be applied by different queues and commits, so the event position
 * alone cannot say whether a given row was applied; the pair can.
 */
public record EventSeq(BinlogPosition position, int row) implements Comparable<EventSeq> {
    private static final Comparator<EventSeq> ORDER = Comparator.comparing(EventSeq::position).thenComparingInt(EventSeq::row);

    /** A statement-level event (a DDL, a commit): sorts after every row of an event at the same position. */
    public static EventSeq at(BinlogPosition position) {
        return new EventSeq(position, Integer.MAX_VALUE);
    }

    @Override
    public int compareTo(EventSeq o) {
        return ORDER.compare(this, o);
    }
}
