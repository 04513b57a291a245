package io.dmjava.worker.relay;

import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.RelayStageStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.worker.unit.DbConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay unit this worker should run: for the source it is a relay worker of ({@code /dm/relay-worker}),
 * else for its bound source, while that source's relay stage ({@code /dm/stage/relay}) is Running. Polls etcd twice
 * a second like the subtask supervisor, applies the source's purge policy every {@code purge.interval} seconds,
 * and answers the internal status and purge requests.
 */
public final class RelaySupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelaySupervisor.class);
    private static final long MASTER_POLL_MS = 5_000;

    /** What the supervisor needs of the worker's registration. */
    public interface Cluster {
        String workerName();

        Optional<EtcdKv> kv();

        boolean alive();
    }

    private record Running(String source, RelayUnit unit, RelayPurger purger, SourceConfig.Purge policy) {
    }

    private final Cluster cluster;
    private final Supplier<SecretCipher> cipher;
    private final Path dataDir;
    private final RelayRetention retention;
    private final RelayMetrics metrics;
    private final RelayLogs logs;
    private final JsonCodec codec = new JsonCodec();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Running running;
    private long lastPurge;
    private long lastMasterPoll;

    /** A supervisor whose relay nobody reads in this process. */
    public RelaySupervisor(Cluster cluster, Supplier<SecretCipher> cipher, Path dataDir, RelayRetention retention,
                           RelayMetrics metrics) {
        this(cluster, cipher, dataDir, retention, metrics, new RelayLogs());
    }

    /**
     * @param retention the readers' hook (the combination of every {@link RelayRetention} on the worker)
     * @param logs      where the running relay is published for the sync units and the registration
     */
    public RelaySupervisor(Cluster cluster, Supplier<SecretCipher> cipher, Path dataDir, RelayRetention retention,
                           RelayMetrics metrics, RelayLogs logs) {
        this.logs = logs;
        this.cluster = cluster;
        this.cipher = cipher;
        this.dataDir = dataDir;
        this.retention = retention;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "relay-supervisor");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The relay's status, when this worker runs the relay of {@code source}. */
    public Optional<RelayStatus> status(String source) {
        Running r = running;
        if (r == null || !r.source().equals(source)) {
            return Optional.empty();
        }
        return Optional.of(r.unit().status(r.unit().askMaster()));
    }

    /** Purges the relay files of {@code source} before {@code before} (see {@link RelayPurger#purgeBefore}). */
    public PurgeRelayResult purge(String source, String before) {
        Running r = running;
        if (r == null || !r.source().equals(source)) {
            throw new DmException(ErrorCode.RELAY_NOT_RUNNING, source, cluster.workerName());
        }
        try {
            RelayPurger.Result res = r.purger().purgeBefore(before);
            return new PurgeRelayResult(cluster.workerName(), res.purged(), res.kept());
        } catch (RelayException e) {
            throw new DmException(e.errorCode(), e, e.args());
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                reconcile();
                housekeeping();
            } catch (RuntimeException e) {
                log.warn("cannot follow the relay's expected state yet: {}", e.getMessage());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void reconcile() {
        Optional<EtcdKv> maybeKv = cluster.kv();
        if (maybeKv.isEmpty()) {
            return;
        }
        if (!cluster.alive()) {
            stopRunning("the worker has no live lease");
            return;
        }
        EtcdKv kv = maybeKv.get();
        String me = cluster.workerName();
        String source = new RelayWorkerStore(kv).relaySource(me)
                .or(() -> new BoundStore(kv, codec).bound(me).map(SourceBound::source)).orElse(null);
        boolean wanted = source != null && new RelayStageStore(kv, codec).stage(source).filter(s -> s == Stage.Running).isPresent();
        Running r = running;
        if (r != null && (!wanted || !Objects.equals(r.source(), source))) {
            stopRunning(wanted ? "the worker now serves source " + source : "the relay of " + r.source() + " is not expected any more");
            r = null;
        }
        if (wanted && r == null) {
            new SourceStore(kv, codec).get(source).ifPresent(this::startRelay);
        }
    }

    private void startRelay(SourceConfig s) {
        SourceConfig.RelayConfig rc = s.relayConfig() == null ? SourceConfig.RelayConfig.DISABLED : s.relayConfig();
        DbConfig up = new DbConfig(s.host(), s.port() == null ? 3306 : s.port(), s.user(), cipher.get().decrypt(s.password()), null);
        Path dir = relayDir(dataDir, rc.relayDir(), s.sourceName());
        RelayOptions opts = RelayOptions.of(s.sourceName(), up, dir, rc.relayBinlogName(), rc.relayBinlogGtid(),
                serverId(cluster.workerName(), s.sourceName()));
        RelayUnit unit = new RelayUnit(opts, retention);
        RelayPurger purger = new RelayPurger(s.sourceName(), dir,
                () -> unit.position().map(RelayMeta::binlogName).orElse(null), retention, () -> RelayPurger.usableSpace(dir));
        unit.start();
        logs.publish(unit.log());
        metrics.track(unit);
        running = new Running(s.sourceName(), unit, purger, s.purge() == null ? SourceConfig.Purge.DEFAULT : s.purge());
        lastPurge = System.currentTimeMillis();
        log.info("relay of source '{}' started in {}", s.sourceName(), dir);
    }

    private void housekeeping() {
        Running r = running;
        if (r == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastMasterPoll >= MASTER_POLL_MS) {
            lastMasterPoll = now;
            metrics.update(r.unit().askMaster());
        }
        long interval = r.policy().interval() == null || r.policy().interval() <= 0 ? 3600 : r.policy().interval();
        if (now - lastPurge >= interval * 1000) {
            lastPurge = now;
            try {
                r.purger().purgeByPolicy(r.policy(), Instant.ofEpochMilli(now));
            } catch (RelayException e) {
                log.warn("relay {}: purge by policy failed: {}", r.source(), e.getMessage());
            }
        }
    }

    private void stopRunning(String why) {
        Running r = running;
        if (r != null) {
            running = null;
            logs.withdraw(r.unit().log());
            metrics.track(null);
            log.info("stopping the relay of source '{}': {}", r.source(), why);
            r.unit().close();
        }
    }

    /**
     * Where a source's relay files go: {@code <data dir>/relay/<source>} for DM's default relay_dir
     * ({@code relay_log}) or none; {@code <relay_dir>/<source>} otherwise, a relative relay_dir under the data dir.
     */
    static Path relayDir(Path dataDir, String relayDir, String source) {
        String d = relayDir == null ? "" : relayDir.strip();
        if (d.isEmpty() || d.equals("relay_log") || d.equals("./relay_log")) {
            return dataDir.resolve("relay").resolve(source);
        }
        return dataDir.resolve(d).resolve(source).normalize();
    }

    /** A replica server id stable for a worker and source (a reconnect replaces its own dump thread), in 2^31..2^32-1. */
    static long serverId(String worker, String source) {
        return 0x8000_0000L | ((worker + "/" + source).hashCode() & 0x7FFF_FFFFL);
    }

    /** Combines readers' hooks: the oldest file any of them needs. */
    public static RelayRetention combine(List<RelayRetention> hooks) {
        return source -> hooks.stream().map(h -> h.oldestNeeded(source)).flatMap(Optional::stream)
                .min(BinlogNames.ORDER);
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        stopRunning("the worker stops");
    }
}
