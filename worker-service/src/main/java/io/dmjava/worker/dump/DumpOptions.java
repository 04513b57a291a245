package io.dmjava.worker.dump;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.worker.unit.UnitException;

/**
 * Settings of one dump run: the task's {@code full_migrate_conf} plus tuning that tasks do not expose.
 *
 * @param exportThreads connections (and threads) reading chunks in parallel (DM default 4)
 * @param consistency   how the snapshot is taken
 * @param chunkRows     rows per chunk; 0 chooses it from the table's average row length and {@code chunkBytes}
 * @param chunkBytes    target size of a chunk file when {@code chunkRows} is 0
 * @param fetchSize     rows the driver buffers while streaming a chunk (memory stays bounded by it)
 */
public record DumpOptions(int exportThreads, Consistency consistency, long chunkRows, long chunkBytes, int fetchSize) {
    public static final int DEFAULT_EXPORT_THREADS = 4;
    /**
     * 16 MiB per chunk: large enough that per-chunk costs (a query, a file, a transaction) vanish, small
     * enough that a table of a few hundred MB keeps every import thread busy and a retried chunk costs little.
     */
    public static final long DEFAULT_CHUNK_BYTES = 16L << 20;
    /** Tables above this size are split into at least {@code exportThreads} chunks, so none dumps alone. */
    static final long SPLIT_FOR_PARALLELISM_BYTES = 4L << 20;
    public static final int DEFAULT_FETCH_SIZE = 2048;

    public DumpOptions {
        if (exportThreads < 1) {
            throw new UnitException(ErrorCode.DUMP_INVALID_CONFIG, "export_threads", exportThreads + " is below 1");
        }
        if (chunkRows < 0 || chunkBytes < 1 || fetchSize < 1) {
            throw new UnitException(ErrorCode.DUMP_INVALID_CONFIG, "chunk size", "must be positive");
        }
    }

    /** The task's settings with default tuning. */
    public static DumpOptions from(TaskConfig task) {
        TaskConfig.FullMigrateConf conf = task.sourceConfig() == null ? null : task.sourceConfig().fullMigrateConf();
        int threads = conf == null || conf.exportThreads() == null ? DEFAULT_EXPORT_THREADS : conf.exportThreads();
        Consistency consistency = Consistency.parse(conf == null ? null : conf.consistency());
        return new DumpOptions(threads, consistency, 0, DEFAULT_CHUNK_BYTES, DEFAULT_FETCH_SIZE);
    }

    public DumpOptions withChunkRows(long rows) {
        return new DumpOptions(exportThreads, consistency, rows, chunkBytes, fetchSize);
    }

    /** Rows per chunk for a table of about {@code estimatedRows} rows of {@code avgRowLength} bytes. */
    public long rowsPerChunk(long avgRowLength, long estimatedRows) {
        if (chunkRows > 0) {
            return chunkRows;
        }
        long perRow = Math.max(avgRowLength, 16);
        long rows = chunkBytes / perRow;
        if (estimatedRows * perRow > SPLIT_FOR_PARALLELISM_BYTES) {
            rows = Math.min(rows, (estimatedRows + exportThreads - 1) / exportThreads);
        }
        return Math.max(1_000, rows);
    }
}
