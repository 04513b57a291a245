package io.dmjava.worker.load;

import io.dmjava.worker.metrics.UnitProgress;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a load, updated by the import threads and read by {@link LoadUnit#status()}. */
final class LoadProgress {
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytesThisRun = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong totalRows = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong totalChunks = new AtomicLong();
    private volatile String binlog = "";
    private volatile String gtid = "";
    private volatile long startNanos = System.nanoTime();
    private volatile long endNanos;

    /** Starts counting; totals grow with {@link #available} as the dump publishes chunks. */
    void start(String metaBinlog, String metaGtid) {
        totalBytes.set(0);
        totalRows.set(0);
        bytes.set(0);
        rows.set(0);
        bytesThisRun.set(0);
        chunks.set(0);
        totalChunks.set(0);
        binlog = metaBinlog;
        gtid = metaGtid;
        startNanos = System.nanoTime();
        endNanos = 0;
    }

    /** A chunk of the dump exists; {@code imported}: it was imported by an earlier run. */
    void available(long chunkBytes, long chunkRows, boolean imported) {
        totalBytes.addAndGet(chunkBytes);
        totalRows.addAndGet(chunkRows);
        totalChunks.incrementAndGet();
        if (imported) {
            bytes.addAndGet(chunkBytes);
            rows.addAndGet(chunkRows);
            chunks.incrementAndGet();
        }
    }

    void chunkDone(long chunkBytes, long chunkRows) {
        bytes.addAndGet(chunkBytes);
        rows.addAndGet(chunkRows);
        bytesThisRun.addAndGet(chunkBytes);
        chunks.incrementAndGet();
    }

    void finish() {
        endNanos = System.nanoTime();
    }

    LoadStatus snapshot() {
        long b = bytes.get();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        double seconds = Math.max(1e-3, (end - startNanos) / 1e9);
        long total = totalBytes.get();
        // While the dump runs the total grows, so the load is never complete before it ends.
        double pct = endNanos != 0 ? 100 : total == 0 ? 0 : Math.min(99.99, 100.0 * b / total);
        return new LoadStatus(b, total, String.format("%.2f %%", pct), binlog, gtid, rows.get(), totalRows.get(),
                (long) (bytesThisRun.get() / seconds));
    }

    /** The counters for the worker's metrics (a load does not count tables). */
    UnitProgress counts() {
        return new UnitProgress(rows.get(), totalRows.get(), bytes.get(), totalBytes.get(), chunks.get(), totalChunks.get(),
                -1, -1, endNanos != 0);
    }
}
