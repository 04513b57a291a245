package io.dmjava.worker.subtask;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.SubTaskConfig;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TableRules;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.LoadTaskStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.worker.metrics.SubTaskMetrics;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.fence.BoundToken;
import io.dmjava.worker.fence.OwnerFence;
import io.dmjava.worker.fence.OwnerTokenStore;
import io.dmjava.worker.registration.WorkerRegistration;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.unit.DbConfig;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this worker do what etcd says: serve the source bound to it and run each of that source's
 * subtasks in its expected stage. It polls (twice a second) rather than watching, so a missed event or
 * a reconnect can never leave it diverged for long. While the worker has no live lease it runs nothing:
 * past its TTL the source may already be bound to another worker. Each run belongs to one epoch, the lease
 * and the bound revision it started under: a new lease or a new binding stops the run and starts a new one,
 * fenced by that bound revision (docs/ha.md).
 */
public final class SubTaskSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SubTaskSupervisor.class);

    /** The lease and bound revision a run started under. */
    private record Epoch(long leaseId, long boundRevision) {
    }

    private record Running(SubTaskRunner runner, long revision, long generation, Epoch epoch) {
    }

    private final WorkerRegistration registration;
    private final Supplier<SecretCipher> cipher;
    private final UnitChainFactory chains;
    private final Path dataDir;
    private final SubTaskMetrics metrics;
    private final JsonCodec codec = new JsonCodec();
    private final Map<String, Running> runners = new ConcurrentHashMap<>();
    private final Map<String, AutoResume> autoResumes = new HashMap<>();
    private final boolean fenceAudit;
    private final RelayLogs relays;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile String source;

    public SubTaskSupervisor(WorkerRegistration registration, Supplier<SecretCipher> cipher, UnitChainFactory chains, Path dataDir,
                             SubTaskMetrics metrics) {
        this(registration, cipher, chains, dataDir, metrics, false, new RelayLogs());
    }

    /**
     * @param fenceAudit count downstream commits per owner token ({@code dm.worker.fence-audit}, docs/ha.md)
     * @param relays     told when a subtask is stopped or removed: its relay files need not be kept any more
     *                   (a paused one keeps them)
     */
    public SubTaskSupervisor(WorkerRegistration registration, Supplier<SecretCipher> cipher, UnitChainFactory chains, Path dataDir,
                             SubTaskMetrics metrics, boolean fenceAudit, RelayLogs relays) {
        this.fenceAudit = fenceAudit;
        this.relays = relays;
        this.registration = registration;
        this.metrics = metrics;
        this.cipher = cipher;
        this.chains = chains;
        this.dataDir = dataDir;
        this.thread = new Thread(this::loop, "subtask-supervisor");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * The live status of a subtask of the bound source, if this worker runs it for the given command:
     * the same generation, and started for that stage revision or a later one. While the worker has
     * not caught up with a new command, an earlier run's status would mislead, so there is none.
     */
    /**
     * The context of a subtask this worker serves, and whether it runs (for operations on its state); a subtask
     * being paused or stopped is given up to {@code stopWait} to finish first.
     */
    public Optional<SubTaskHandle> subtask(String task, java.time.Duration stopWait) throws InterruptedException {
        Running r = runners.get(task);
        if (r == null) {
            return Optional.empty();
        }
        boolean stopped = r.runner().stoppedWithin(stopWait);
        return Optional.of(new SubTaskHandle(r.runner().context(), !stopped));
    }

    /** A subtask's context and whether its runner still runs. */
    public record SubTaskHandle(UnitContext context, boolean active) {
    }

    public Optional<SubTaskStatus> status(String task, long generation, long revision) {
        Running r = runners.get(task);
        if (r == null || r.generation() != generation || r.revision() < revision) {
            return Optional.empty();
        }
        return Optional.of(r.runner().status());
    }

    private void loop() {
        while (!stopping) {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("cannot follow the cluster's expected state yet: {}", e.getMessage());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void reconcile() {
        Optional<EtcdKv> maybeKv = registration.kv();
        if (maybeKv.isEmpty()) {
            return;
        }
        if (!registration.isAlive()) {
            stopAll(Stage.Paused, "the worker has no live lease");
            return;
        }
        EtcdKv kv = maybeKv.get();
        long lease = registration.leaseId();
        Optional<BoundToken> boundToken = BoundToken.read(kv, codec, registration.self().name());
        String bound = boundToken.map(BoundToken::source).orElse(null);
        if (!java.util.Objects.equals(bound, source)) {
            stopAll(Stage.Paused, "the worker's bound changed from " + source + " to " + bound);
            runners.forEach((task, r) -> metrics.forget(task, r.runner().source())); // served elsewhere now
            if (source != null) {
                relays.forgetSource(source);
            }
            source = bound;
        }
        if (bound == null) {
            return;
        }
        Epoch epoch = new Epoch(lease, boundToken.get().token());
        SubTaskStore store = new SubTaskStore(kv, codec);
        Map<String, SubTaskConfig> configs = store.configs(bound);
        Map<String, SubTaskStore.StageCommand> commands = store.stageCommands(bound);
        for (String task : Map.copyOf(runners).keySet()) {
            if (!configs.containsKey(task)) {
                SubTaskRunner removed = runners.remove(task).runner();
                autoResumes.remove(task);
                removed.stop(Stage.Stopped);
                metrics.forget(task, removed.source());
                relays.forget(removed.source(), task);
            }
        }
        for (SubTaskConfig cfg : configs.values()) {
            SubTaskStore.StageCommand cmd = commands.get(cfg.taskName());
            Running r = runners.get(cfg.taskName());
            if (cmd == null) {
                continue;
            }
            if (cmd.stage() == Stage.Running) {
                if (r != null && r.runner().isActive() && r.generation() != cfg.generation()) {
                    r.runner().stop(Stage.Stopped);
                    r = null;
                }
                if (r != null && !r.epoch().equals(epoch)) {
                    // a new lease or a new binding: the old run may have been fenced; it starts again under this one
                    log.info("subtask {}/{}: new epoch {} (was {}): restarting it", cfg.taskName(), bound, epoch, r.epoch());
                    r.runner().stop(Stage.Paused);
                    r = null;
                }
                if (r == null || (!r.runner().isActive() && r.revision() != cmd.revision())) {
                    startRunner(kv, cfg, cmd.revision(), epoch);
                } else if (r.runner().pausedByTransientError() && autoResumes.computeIfAbsent(cfg.taskName(), k -> new AutoResume())
                        .due(r.runner(), r.runner().ranNanos(), System.nanoTime())) {
                    log.info("subtask {}/{}: resuming by itself after a transient error (attempt {})", cfg.taskName(), bound,
                            autoResumes.get(cfg.taskName()).attempts());
                    startRunner(kv, cfg, r.revision(), epoch);
                }
            } else if (r != null && (r.runner().isActive() || (cmd.stage() == Stage.Stopped && r.runner().stage() == Stage.Paused))) {
                log.info("subtask {}/{}: expected stage {}", cfg.taskName(), bound, cmd.stage());
                r.runner().stop(cmd.stage());
                if (cmd.stage() == Stage.Stopped) {
                    relays.forget(bound, cfg.taskName());
                }
            }
        }
    }

    private void startRunner(EtcdKv kv, SubTaskConfig cfg, long revision, Epoch epoch) {
        SourceConfig s = new SourceStore(kv, codec).get(cfg.sourceName())
                .orElseThrow(() -> new IllegalStateException("source " + cfg.sourceName() + " has no config"));
        TaskConfig t = cfg.task();
        TaskConfig.TargetConfig tc = t.targetConfig();
        SecretCipher c = cipher.get();
        DbConfig up = new DbConfig(s.host(), s.port(), s.user(), c.decrypt(s.password()), null);
        DbConfig down = new DbConfig(tc.host(), tc.port() == null ? 3306 : tc.port(), tc.user(), c.decrypt(tc.password()), tc.session());
        String dir = t.sourceConfig() != null && t.sourceConfig().fullMigrateConf() != null
                && t.sourceConfig().fullMigrateConf().dataDir() != null ? t.sourceConfig().fullMigrateConf().dataDir() : "dumped_data";
        Path base = dataDir.resolve(dir).normalize().resolve(t.name() + "." + cfg.sourceName());
        Path subtaskDir = base.resolve("g" + cfg.generation());
        DataDirs.deleteOtherGenerations(base, subtaskDir);
        UnitContext unfenced = new UnitContext(t, cfg.sourceName(), up, down, TableRules.forSource(t, cfg.sourceName()),
                subtaskDir, () -> false);
        OwnerFence fence = new OwnerFence(registration.leaseGuard(),
                new OwnerTokenStore(unfenced.metaSchema(), t.name(), cfg.sourceName()), new JdbcConnector(down, List.of()),
                new OwnerFence.Run(epoch.leaseId(), registration.keepaliveTtl(), epoch.boundRevision(),
                        registration.self().name(), t.name() + "/" + cfg.sourceName(), fenceAudit));
        UnitContext ctx = new UnitContext(t, cfg.sourceName(), up, down, unfenced.router(), subtaskDir, () -> false, fence,
                cfg.startArgs());
        SubTaskRunner runner = new SubTaskRunner(registration.self().name(), ctx,
                LoadTaskMark.around(chains.chain(t.taskMode()), new LoadTaskStore(kv), registration.self().name()),
                (unit, resumable) -> metrics.unitFailed(t.name(), cfg.sourceName(), unit, resumable));
        Running previous = runners.put(t.name(), new Running(runner, revision, cfg.generation(), epoch));
        if (previous != null && !previous.runner().source().equals(cfg.sourceName())) {
            metrics.forget(t.name(), previous.runner().source());
        }
        metrics.track(t.name(), cfg.sourceName(), runner::stage, runner.units());
        log.info("subtask {}/{} starts (data dir {})", t.name(), cfg.sourceName(), subtaskDir);
        runner.start();
    }

    private void stopAll(Stage to, String why) {
        if (runners.values().stream().anyMatch(r -> r.runner().isActive())) {
            log.warn("stopping every subtask: {}", why);
        }
        Map<String, Running> copy = new HashMap<>(runners);
        copy.values().forEach(r -> r.runner().stop(to));
        if (to != Stage.Paused) {
            runners.clear();
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runners.values().forEach(r -> r.runner().stop(Stage.Paused));
    }
}
