package io.dmjava.worker.dump;

import io.dmjava.worker.metrics.UnitProgress;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a dump, updated by the export threads and read by {@link DumpUnit#status()}. */
final class DumpProgress {
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong completedTables = new AtomicLong();
    private final AtomicLong completedChunks = new AtomicLong();
    private volatile long totalChunks;
    private volatile long totalTables;
    private volatile long estimatedRows;
    private volatile long startNanos = System.nanoTime();
    private volatile long endNanos;

    void start(long tables, long estimate) {
        totalTables = tables;
        estimatedRows = estimate;
        startNanos = System.nanoTime();
        endNanos = 0;
        completedChunks.set(0);
        totalChunks = 0;
    }

    void chunksPlanned(long chunks) {
        totalChunks = chunks;
    }

    void chunkCompleted() {
        completedChunks.incrementAndGet();
    }

    void add(long addedRows, long addedBytes) {
        rows.addAndGet(addedRows);
        bytes.addAndGet(addedBytes);
    }

    /** Chunks re-read after a lost connection count again; the counters are adjusted back here. */
    void subtract(long removedRows, long removedBytes) {
        rows.addAndGet(-removedRows);
        bytes.addAndGet(-removedBytes);
    }

    void tableCompleted() {
        completedTables.incrementAndGet();
    }

    void finish() {
        endNanos = System.nanoTime();
    }

    /** A finished dump found on disk: everything is done. */
    void restoreFinished(long tables, long chunks, long totalRows, long totalBytes) {
        totalTables = tables;
        totalChunks = chunks;
        completedChunks.set(chunks);
        completedTables.set(tables);
        estimatedRows = totalRows;
        rows.set(totalRows);
        bytes.set(totalBytes);
        endNanos = startNanos;
    }

    DumpStatus snapshot() {
        long r = rows.get();
        long b = bytes.get();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        double seconds = Math.max(1e-3, (end - startNanos) / 1e9);
        long estimate = Math.max(estimatedRows, r);
        long tables = totalTables;
        long completed = completedTables.get();
        double pct = tables == 0 ? (endNanos != 0 ? 100 : 0)
                : endNanos != 0 && completed == tables ? 100 : estimate == 0 ? 0 : Math.min(99.99, 100.0 * r / estimate);
        return new DumpStatus(tables, completed, b, r, estimate, String.format("%.2f %%", pct),
                endNanos != 0 && end == startNanos ? 0 : (long) (b / seconds));
    }

    /** The counters for the worker's metrics. */
    UnitProgress counts() {
        long r = rows.get();
        return new UnitProgress(r, Math.max(estimatedRows, r), bytes.get(), -1, completedChunks.get(), totalChunks,
                completedTables.get(), totalTables, endNanos != 0);
    }
}
