package io.dmjava.worker.sync.binlog;

import java.time.Duration;

/**
 * How a {@link BinlogStream} talks to the upstream.
 *
 * @param serverId          the replica server id announced to the upstream; unique among all its replicas
 *                          (a second connection with the same id makes the upstream kill the first one)
 * @param heartbeatInterval how often the upstream sends a heartbeat when it has nothing else to send; a stream
 *                          that hears nothing for three intervals is considered dead
 * @param connectTimeout    how long opening the stream may take, up to the first event
 * @param maxQueuedEvents   events decoded ahead of the consumer, at most
 * @param maxQueuedBytes    binlog bytes decoded ahead of the consumer, at most (one larger event is still let
 *                          through alone); together with {@code maxQueuedEvents} this bounds the memory a huge
 *                          transaction can take
 */
public record BinlogStreamOptions(long serverId, Duration heartbeatInterval, Duration connectTimeout,
                                  int maxQueuedEvents, long maxQueuedBytes) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1024;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;

    public BinlogStreamOptions {
        if (serverId <= 0 || serverId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("server id must be in 1..4294967295, got " + serverId);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat interval must be at least 1 ms, got " + heartbeatInterval);
        }
        if (connectTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("connect timeout must be at least 1 ms, got " + connectTimeout);
        }
        if (maxQueuedEvents < 1 || maxQueuedBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
    }

    /** Defaults (1 s heartbeat, 30 s connect timeout, 1024 events / 64 MiB ahead) for {@code serverId}. */
    public static BinlogStreamOptions of(long serverId) {
        return new BinlogStreamOptions(serverId, DEFAULT_HEARTBEAT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_MAX_QUEUED_EVENTS, DEFAULT_MAX_QUEUED_BYTES);
    }

    public BinlogStreamOptions withHeartbeatInterval(Duration interval) {
        return new BinlogStreamOptions(serverId, interval, connectTimeout, maxQueuedEvents, maxQueuedBytes);
    }

    public BinlogStreamOptions withQueueBounds(int events, long bytes) {
        return new BinlogStreamOptions(serverId, heartbeatInterval, connectTimeout, events, bytes);
    }
}
