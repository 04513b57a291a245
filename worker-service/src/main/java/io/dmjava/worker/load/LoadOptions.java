package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.worker.unit.UnitException;
import java.time.Duration;

/**
 * Settings of one load run.
 *
 * @param importThreads    chunks imported in parallel, one downstream connection each (DM default 16)
 * @param onDuplicate      what to do with rows whose key exists downstream
 * @param method           LOAD DATA or multi-row INSERT
 * @param insertBatchBytes size of one multi-row statement for {@link LoadMethod#INSERT}
 * @param uploadStall      how long a LOAD DATA upload may stop moving before its connection is presumed
 *                         dead and the chunk retried (above the server's 50 s default lock wait timeout)
 * @param deferIndexes     create tables the load creates without their plain secondary indexes and add them
 *                         once the table is loaded (see {@link IndexDeferral}); measured about a third less
 *                         downstream work for a table with one secondary index
 */
public record LoadOptions(int importThreads, OnDuplicate onDuplicate, LoadMethod method, int insertBatchBytes,
                          Duration uploadStall, boolean deferIndexes) {
    public static final int DEFAULT_IMPORT_THREADS = 16;
    public static final int DEFAULT_INSERT_BATCH_BYTES = 1 << 20;
    public static final Duration DEFAULT_UPLOAD_STALL = Duration.ofSeconds(60);

    public LoadOptions {
        if (importThreads < 1) {
            throw new UnitException(ErrorCode.LOAD_INVALID_CONFIG, "import_threads", importThreads + " is below 1");
        }
        if (insertBatchBytes < 1024) {
            throw new UnitException(ErrorCode.LOAD_INVALID_CONFIG, "insert batch size", insertBatchBytes + " bytes");
        }
    }

    public static LoadOptions from(TaskConfig task) {
        TaskConfig.FullMigrateConf conf = task.sourceConfig() == null ? null : task.sourceConfig().fullMigrateConf();
        int threads = conf == null || conf.importThreads() == null ? DEFAULT_IMPORT_THREADS : conf.importThreads();
        return new LoadOptions(threads, OnDuplicate.parse(task.onDuplicate()), LoadMethod.LOAD_DATA, DEFAULT_INSERT_BATCH_BYTES,
                DEFAULT_UPLOAD_STALL, true);
    }

    public LoadOptions withMethod(LoadMethod m) {
        return new LoadOptions(importThreads, onDuplicate, m, insertBatchBytes, uploadStall, deferIndexes);
    }

    public LoadOptions withImportThreads(int n) {
        return new LoadOptions(n, onDuplicate, method, insertBatchBytes, uploadStall, deferIndexes);
    }

    public LoadOptions withUploadStall(Duration stall) {
        return new LoadOptions(importThreads, onDuplicate, method, insertBatchBytes, stall, deferIndexes);
    }
}
