package io.dmjava.worker.sync;

import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.sync.apply.ApplyMetrics;

/**
 * Figures the status API and metrics read while the sync unit runs; written by the unit's threads.
 */
final class SyncProgress {
    private final long startNanos = System.nanoTime();
    final ApplyMetrics apply = new ApplyMetrics();
    volatile long events;
    volatile BinlogPosition master = BinlogPosition.UNKNOWN;
    volatile BinlogPosition syncer = BinlogPosition.UNKNOWN;
    /** Upstream commit time (epoch ms) of the last transaction read; 0 before the first. */
    volatile long lastCommitMillis;
    /** True while the stream has nothing newer and every queue is empty. */
    volatile boolean caughtUp;
    volatile boolean safeMode;
    volatile long pending;
    /** The shard DDL lock the stream waits for, or null. */
    volatile PessimismInfo shardWait;
    private long windowStartNanos = System.nanoTime();
    private long windowStartTxns;
    private volatile long recentTps;

    /** Everything before {@code p} is applied (shown as syncer_binlog, which never moves back). */
    void applied(BinlogPosition p) {
        if (p.isKnown() && p.compareTo(syncer) > 0) {
            syncer = p;
        }
        read(p);
    }

    /** The upstream has at least reached {@code p} (shown as master_binlog, polled every few seconds). */
    void read(BinlogPosition p) {
        if (p.isKnown() && (!master.isKnown() || p.compareTo(master) > 0)) {
            master = p;
        }
    }

    /** Recomputes the recent rate at most every 5 s (called from the unit's loop). */
    void tick() {
        long now = System.nanoTime();
        long elapsed = now - windowStartNanos;
        if (elapsed >= 5_000_000_000L) {
            long txns = apply.transactions();
            recentTps = (txns - windowStartTxns) * 1_000_000_000L / elapsed;
            windowStartTxns = txns;
            windowStartNanos = now;
        }
    }

    long secondsBehindMaster() {
        if (caughtUp && pending == 0) {
            return 0;
        }
        long last = lastCommitMillis;
        return last == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - last) / 1000);
    }

    SyncStatus status(String binlogType) {
        long seconds = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        BinlogPosition m = master;
        BinlogPosition s = syncer;
        PessimismInfo wait = shardWait;
        boolean synced = caughtUp && pending == 0 && wait == null;
        return new SyncStatus(events, apply.transactions() / seconds, recentTps, m.isKnown() ? show(m) : "", m.gtid(),
                show(s), s.gtid(), binlogType, secondsBehindMaster(), synced, safeMode, wait == null ? null : wait.ddls(),
                wait == null ? null : wait.lockId());
    }

    private static String show(BinlogPosition p) {
        return "(" + p.file() + ", " + p.pos() + ")";
    }
}
