package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.sync.apply.ApplyQueues;
import io.dmjava.worker.sync.causality.Causality;
import io.dmjava.worker.sync.checkpoint.AppliedMark;
import io.dmjava.worker.sync.checkpoint.EventSeq;
import io.dmjava.worker.sync.checkpoint.StartMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import io.dmjava.worker.sync.schema.SchemaTracker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The state one sync run shares between its event handlers: the queues and their causality, the schema
 * tracker, and the positions that make restarts exact.
 *
 * <ul>
 * <li>{@code boundary}: the last transaction end (or DDL) read; replication can resume there.</li>
 * <li>{@code lastDispatched}: the last row change handed to a queue in this process; after a reconnect the
 * stream restarts at {@code boundary}, and changes up to here are dropped without touching causality.</li>
 * <li>{@code marks}: what each queue had committed when an earlier run died; a replayed change assigned to a
 * queue at or before its mark was applied already and is skipped. Valid because assignment is deterministic
 * from the checkpoint on (see {@link Causality}) and every checkpoint follows a drain.</li>
 * <li>{@code safeUntil}: changes before it are written idempotently.</li>
 * <li>{@code window}: {@code safe_mode_time_duration}'s safe mode, measured in binlog time.</li>
 * <li>{@code startRequest}: the start request this run follows, saved with each checkpoint.</li>
 * </ul>
 */
final class SyncRun {
    final ApplyQueues queues;
    final Causality causality;
    final SchemaTracker tracker;
    final SyncCheckpointStore store;
    final Connection meta;
    final BooleanSupplier stop;
    private Map<Integer, AppliedMark> marks;
    private final BinlogPosition furthestMark;
    private final boolean safeAlways;
    private final String startRequest;
    private final SafeModeWindow window;
    private BinlogPosition checkpoint;
    private BinlogPosition boundary;
    private BinlogPosition safeUntil;
    private EventSeq lastDispatched;
    private boolean inTransaction;
    private long lastFlushNanos = System.nanoTime();

    SyncRun(ApplyQueues queues, SchemaTracker tracker, SyncCheckpointStore store, Connection meta, BooleanSupplier stop,
            Map<Integer, AppliedMark> marks, boolean safeAlways, BinlogPosition start, BinlogPosition safeUntil,
            String startRequest, SafeModeWindow window) {
        this.queues = queues;
        this.startRequest = startRequest;
        this.window = window;
        this.causality = new Causality(queues.size());
        this.tracker = tracker;
        this.store = store;
        this.meta = meta;
        this.stop = stop;
        this.safeAlways = safeAlways;
        this.checkpoint = start;
        this.boundary = start;
        boolean sameLayout = marks.values().stream().allMatch(m -> m.queues() == queues.size());
        // With another queue count the replay assigns differently: marks cannot be matched, only respected
        // as "written up to here", which safe mode covers for tables with keys.
        this.marks = sameLayout ? Map.copyOf(marks) : Map.of();
        BinlogPosition lastMark = null;
        for (AppliedMark m : marks.values()) {
            if (lastMark == null || m.seq().position().compareTo(lastMark) > 0) {
                lastMark = m.seq().position();
            }
        }
        this.furthestMark = lastMark;
        this.safeUntil = lastMark != null && (safeUntil == null || lastMark.compareTo(safeUntil) > 0) ? lastMark : safeUntil;
    }

    BinlogPosition boundary() {
        return boundary;
    }

    BinlogPosition checkpoint() {
        return checkpoint;
    }

    /** A transaction ended (or a DDL ran) at {@code p}: replication may resume from there. */
    void reachedBoundary(BinlogPosition p) {
        boundary = p;
        inTransaction = false;
        if (!marks.isEmpty() && p.compareTo(furthestMark) > 0) {
            marks = Map.of(); // every change from here on is newer than what any earlier run applied
        }
    }

    /**
     * Whether the stream is still inside what an earlier run applied. Queue assignment must then stay exactly
     * that run's, so no drain may happen that the earlier run did not do at the same place: timed checkpoints
     * wait until this is over (DDL drains are at the same place in every run).
     */
    boolean replaying() {
        return !marks.isEmpty();
    }

    /** A rows event was read: until the transaction ends, the stream is not at a resumable point. */
    void insideTransaction() {
        inTransaction = true;
    }

    /** Whether rows were read since the last boundary (a stop waits for the transaction's end). */
    boolean inTransaction() {
        return inTransaction;
    }

    boolean safeModeAt(BinlogPosition p) {
        return safeAlways || window.open() || (safeUntil != null && p.compareTo(safeUntil) < 0);
    }

    /** A transaction committed upstream at {@code timestampMillis} (for the safe-mode window). */
    void committedAt(long timestampMillis) {
        window.committed(timestampMillis);
    }

    BinlogPosition safeUntil() {
        return safeUntil;
    }

    /** Whether a statement at {@code p} may already have run (an earlier run got that far before it died). */
    boolean mayHaveRun(BinlogPosition p) {
        return safeUntil != null && p.compareTo(safeUntil) <= 0;
    }

    /** Makes everything up to {@code p} idempotent for as long as a later run might replay it. */
    void extendSafeMode(BinlogPosition p) {
        if (safeUntil == null || p.compareTo(safeUntil) > 0) {
            safeUntil = p;
        }
    }

    /** Whether this process already handed the change to a queue (a reconnect replays from the boundary). */
    boolean dispatchedBefore(EventSeq seq) {
        return lastDispatched != null && seq.compareTo(lastDispatched) <= 0;
    }

    void dispatched(EventSeq seq) {
        lastDispatched = seq;
    }

    /** Whether an earlier run's queue already committed this change. */
    boolean committedBefore(int queue, EventSeq seq) {
        AppliedMark m = marks.get(queue);
        return m != null && seq.compareTo(m.seq()) <= 0;
    }

    /** Waits for every queue, then forgets causality keys (a conflict, a DDL, a checkpoint). */
    void drain() throws InterruptedException {
        queues.drain();
        causality.reset();
    }

    boolean flushDue(long intervalNanos) {
        return System.nanoTime() - lastFlushNanos >= intervalNanos;
    }

    /**
     * Drains, then saves the checkpoint at the current boundary with the tracker's changes. Nothing is
     * dispatched between the drain and the save, which keeps replays deterministic.
     */
    void flush() throws InterruptedException {
        drain();
        if (replaying()) {
            return; // a checkpoint here would put an assignment reset where the earlier run had none
        }
        if (inTransaction && lastDispatched != null) {
            // Only when the stream broke mid-transaction at a stop: rows past the boundary are applied and will
            // be read again; the queue marks are cleared with the save, so safe mode must cover them instead.
            extendSafeMode(lastDispatched.position());
        }
        saveCheckpoint(boundary);
    }

    /** Saves {@code position} as the checkpoint (everything before it must be applied). */
    void saveCheckpoint(BinlogPosition position) {
        try {
            SchemaTracker.Changes changes = tracker.drainChanges();
            BinlogPosition safe = safeUntil != null && safeUntil.compareTo(position) > 0 ? safeUntil : null;
            store.save(meta, position, safe, new StartMark(startRequest, window.exitTs()), changes.created(), changes.dropped(),
                    !replaying());
            checkpoint = position;
            lastFlushNanos = System.nanoTime();
        } catch (SQLException e) {
            try {
                meta.rollback();
            } catch (SQLException ignored) {
                // the error below is what matters
            }
            throw new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, e, store.toString(), SqlErrors.describe(e));
        }
    }
}
