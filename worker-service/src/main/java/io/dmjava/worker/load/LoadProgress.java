package io.dmjava.worker.load;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a load, updated by the import threads and read by {@link LoadUnit#status()}. */
final class LoadProgress {
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytesThisRun = new AtomicLong();
    private volatile long totalBytes;
    private volatile long totalRows;
    private volatile String binlog = "";
    private volatile String gtid = "";
    private volatile long startNanos = System.nanoTime();
    private volatile long endNanos;

    void start(long total, long totalRowCount, long doneBytes, long doneRows, String metaBinlog, String metaGtid) {
        totalBytes = total;
        totalRows = totalRowCount;
        bytes.set(doneBytes);
        rows.set(doneRows);
        bytesThisRun.set(0);
        binlog = metaBinlog;
        gtid = metaGtid;
        startNanos = System.nanoTime();
        endNanos = 0;
    }

    void chunkDone(long chunkBytes, long chunkRows) {
        bytes.addAndGet(chunkBytes);
        rows.addAndGet(chunkRows);
        bytesThisRun.addAndGet(chunkBytes);
    }

    void finish() {
        endNanos = System.nanoTime();
    }

    LoadStatus snapshot() {
        long b = bytes.get();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        double seconds = Math.max(1e-3, (end - startNanos) / 1e9);
        double pct = totalBytes == 0 ? (endNanos != 0 ? 100 : 0) : 100.0 * b / totalBytes;
        return new LoadStatus(b, totalBytes, String.format("%.2f %%", pct), binlog, gtid, rows.get(), totalRows,
                (long) (bytesThisRun.get() / seconds));
    }
}
