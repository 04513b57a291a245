package io.dmjava.worker.metrics;

/**
 * Progress counters of a dump or a load, as exported to Prometheus. A total a unit does not know is -1 (a
 * dump cannot know its size in bytes before it is written).
 *
 * @param finishedRows   rows written (dump) or imported (load)
 * @param totalRows      rows expected: the tables' statistics for a dump, the dump's chunks for a load
 * @param finishedBytes  bytes written or imported
 * @param totalBytes     bytes expected (-1 for a dump)
 * @param finishedChunks chunk files completely written or imported
 * @param totalChunks    chunk files planned (dump) or published by the dump so far (load)
 * @param finishedTables tables completely written (dump; -1 for a load)
 * @param totalTables    tables selected (dump; -1 for a load)
 * @param finished       the unit has completed its work
 */
public record UnitProgress(long finishedRows, long totalRows, long finishedBytes, long totalBytes,
                           long finishedChunks, long totalChunks, long finishedTables, long totalTables,
                           boolean finished) {

    /** Bytes done as a fraction of the total (DM's {@code dm_loader_progress}): 1 once finished, 0 without a total. */
    public double byteFraction() {
        if (finished) {
            return 1;
        }
        return totalBytes <= 0 ? 0 : Math.min(0.9999, (double) finishedBytes / totalBytes);
    }
}
