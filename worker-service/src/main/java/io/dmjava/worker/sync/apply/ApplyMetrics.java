package io.dmjava.worker.sync.apply;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the apply queues update and the sync status and metrics read. */
public final class ApplyMetrics {
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();

    void committed(int rowCount) {
        transactions.incrementAndGet();
        rows.addAndGet(rowCount);
    }

    /** Downstream transactions committed. */
    public long transactions() {
        return transactions.get();
    }

    /** Row changes committed. */
    public long rows() {
        return rows.get();
    }
}
