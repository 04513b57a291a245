package io.dmjava.worker.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * DM's relay series of a worker (one relay at most): {@code dm_relay_binlog_file} and {@code dm_relay_binlog_pos}
 * with {@code node="master"|"relay"} (the file's index, e.g. 3 for {@code mysql-bin.000003}, and the offset),
 * {@code dm_relay_exit_with_error_count} and {@code dm_relay_space} with {@code type="capacity"|"available"}
 * (bytes of the relay directory's file system). They read 0 while no relay runs.
 */
public final class RelayMetrics {
    private final AtomicReference<RelayUnit> unit = new AtomicReference<>();
    private final AtomicReference<RelayUpstream.MasterStatus> master = new AtomicReference<>();
    private final Counter exits;
    private long exitsCounted;

    public RelayMetrics(MeterRegistry registry) {
        Gauge.builder("dm_relay_binlog_file", this, m -> m.relayIndex()).tag("node", "relay")
                .description("index of the relay's current binlog file").register(registry);
        Gauge.builder("dm_relay_binlog_file", this, m -> m.masterIndex()).tag("node", "master")
                .description("index of the upstream's current binlog file").register(registry);
        Gauge.builder("dm_relay_binlog_pos", this, m -> m.relayPos()).tag("node", "relay")
                .description("offset of the relay in its current binlog file").register(registry);
        Gauge.builder("dm_relay_binlog_pos", this, m -> m.masterPos()).tag("node", "master")
                .description("offset of the upstream in its current binlog file").register(registry);
        Gauge.builder("dm_relay_space", this, m -> m.space(true)).tag("type", "capacity")
                .description("size of the relay directory's file system in bytes").register(registry);
        Gauge.builder("dm_relay_space", this, m -> m.space(false)).tag("type", "available")
                .description("usable bytes left on the relay directory's file system").register(registry);
        exits = Counter.builder("dm_relay_exit_with_error_count")
                .description("times the relay stopped on an error it cannot retry").register(registry);
    }

    /** Follows {@code u} from now on (null: none runs). */
    public synchronized void track(RelayUnit u) {
        unit.set(u);
        master.set(null);
        exitsCounted = 0;
    }

    /** Records the upstream's position and counts the relay's new exits; called periodically. */
    public synchronized void update(RelayUpstream.MasterStatus m) {
        master.set(m);
        RelayUnit u = unit.get();
        if (u != null && u.exitsWithError() > exitsCounted) {
            exits.increment(u.exitsWithError() - exitsCounted);
            exitsCounted = u.exitsWithError();
        }
    }

    private double relayIndex() {
        RelayUnit u = unit.get();
        return u == null ? 0 : u.position().map(p -> (double) BinlogNames.index(p.binlogName())).orElse(0.0);
    }

    private double relayPos() {
        RelayUnit u = unit.get();
        return u == null ? 0 : u.position().map(p -> (double) p.binlogPos()).orElse(0.0);
    }

    private double masterIndex() {
        RelayUpstream.MasterStatus m = master.get();
        return m == null ? 0 : BinlogNames.index(m.file());
    }

    private double masterPos() {
        RelayUpstream.MasterStatus m = master.get();
        return m == null ? 0 : m.pos();
    }

    private double space(boolean capacity) {
        RelayUnit u = unit.get();
        Path dir = u == null ? null : u.options().dir();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try {
            var store = Files.getFileStore(dir);
            return capacity ? store.getTotalSpace() : store.getUsableSpace();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
