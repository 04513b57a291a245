package io.dmjava.worker.sync;

import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskDefaults;
import java.time.Duration;

/**
 * How one sync unit runs.
 *
 * @param replThreads   apply queues, each with its own downstream connection ({@code repl_threads}, default 16)
 * @param replBatch     row changes per downstream transaction ({@code repl_batch}, default 100)
 * @param safeModeAlways {@code safe_mode: true}: write every change idempotently, always
 * @param flushInterval how often the checkpoint is saved while changes flow (also at every DDL, pause, stop)
 * @param heartbeat     how often an idle upstream sends a heartbeat (silence for 3 of them = a dead connection)
 */
public record SyncOptions(int replThreads, int replBatch, boolean safeModeAlways, Duration flushInterval, Duration heartbeat) {
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);

    public static SyncOptions of(TaskConfig task, Duration flushInterval, Duration heartbeat) {
        TaskConfig.IncrMigrateConf c = task.sourceConfig() == null ? null : task.sourceConfig().incrMigrateConf();
        int threads = c == null || c.replThreads() == null ? TaskDefaults.REPL_THREADS : c.replThreads();
        int batch = c == null || c.replBatch() == null ? TaskDefaults.REPL_BATCH : c.replBatch();
        boolean safe = c != null && Boolean.TRUE.equals(c.safeMode());
        return new SyncOptions(Math.max(1, threads), Math.max(1, batch), safe, flushInterval, heartbeat);
    }
}
