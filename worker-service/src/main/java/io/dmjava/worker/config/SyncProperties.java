package io.dmjava.worker.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sync unit that are the worker's, not the task's ({@code dm.worker.sync.*}).
 *
 * @param checkpointFlushInterval how often the sync checkpoint is saved while changes flow (default 30s, DM's
 *                                {@code checkpoint-flush-interval}); it is also saved at every DDL, pause and stop.
 *                                A crash replays at most this much binlog, exactly (nothing is applied twice)
 * @param heartbeat               heartbeat period asked of the upstream (default 1s); three missed heartbeats
 *                                mean a dead connection, which is re-opened
 */
@ConfigurationProperties("dm.worker.sync")
public record SyncProperties(@DefaultValue("30s") Duration checkpointFlushInterval, @DefaultValue("1s") Duration heartbeat) {
    public SyncProperties {
        if (checkpointFlushInterval.toMillis() < 100) {
            throw new IllegalArgumentException("dm.worker.sync.checkpoint-flush-interval must be at least 100ms, got "
                    + checkpointFlushInterval);
        }
        if (heartbeat.toMillis() < 100) {
            throw new IllegalArgumentException("dm.worker.sync.heartbeat must be at least 100ms, got " + heartbeat);
        }
    }
}
