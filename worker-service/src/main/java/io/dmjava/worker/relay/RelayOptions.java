package io.dmjava.worker.relay;

import io.dmjava.worker.unit.DbConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one relay unit pulls and how.
 *
 * @param source          the source's name (for messages, metrics and the oldest-needed hook)
 * @param upstream        the upstream and its replication user
 * @param dir             the directory of this source's relay files and meta
 * @param startName       the upstream file to start at when the directory holds no relay yet; empty: see
 *                        {@code startGtid}
 * @param startGtid       when {@code startName} is empty: start at the file holding the first transaction after
 *                        this GTID set; both empty: the oldest file a subtask still needs, else the upstream's
 *                        current file
 * @param serverId        the replica server id announced upstream (unique among its replicas)
 * @param heartbeat       upstream heartbeat period; three silent periods count as a lost connection
 * @param flushInterval   how often written events are fsync'd and the meta advanced
 * @param maxBackoff      the longest pause between reconnection attempts
 */
public record RelayOptions(String source, DbConfig upstream, Path dir, String startName, String startGtid,
                           long serverId, Duration heartbeat, Duration flushInterval, Duration maxBackoff) {
    public RelayOptions {
        startName = startName == null ? "" : startName.strip();
        startGtid = startGtid == null ? "" : startGtid.strip();
        if (serverId <= 0 || serverId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("server id must be in 1..4294967295, got " + serverId);
        }
    }

    /** Defaults: 1 s heartbeat, flush every 100 ms, back off up to 30 s. */
    public static RelayOptions of(String source, DbConfig upstream, Path dir, String startName, String startGtid, long serverId) {
        return new RelayOptions(source, upstream, dir, startName, startGtid, serverId, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(30));
    }
}
