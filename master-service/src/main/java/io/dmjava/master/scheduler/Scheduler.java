package io.dmjava.master.scheduler;

import io.dmjava.master.election.LeaderService;
import io.dmjava.master.task.WorkerClient;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.cluster.WorkerStage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.KeyFamily;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.LoadTaskStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.WorkerStore;
import io.etcd.jetcd.Watch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's view of the workers: who is registered, alive, bound or relaying. Rebuilt from etcd on
 * election and kept current by watches (plus a periodic re-read, in case a watch event was missed
 * across an etcd member failover). On every change it re-plans the bounds by DM's scheduling rules
 * ({@link BindingPlanner}, docs/scheduling.md) and executes the plan, each change in a guarded etcd
 * transaction; {@code transfer-source} is {@link SourceTransfer}.
 */
public final class Scheduler implements LeaderService {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final List<KeyFamily> WATCHED = List.of(EtcdKeys.WORKER_REGISTERED, EtcdKeys.WORKER_ALIVE,
            EtcdKeys.BOUND, EtcdKeys.RELAY_WORKER, EtcdKeys.SOURCE_CONFIG, EtcdKeys.LOAD_TASK);
    /** How long transfer-source waits for the old worker to pause the subtasks it moves. */
    public static final Duration DEFAULT_TRANSFER_PAUSE_TIMEOUT = Duration.ofSeconds(30);

    private final EtcdKv kv;
    private final WorkerStore workers;
    private final BoundStore bounds;
    private final RelayWorkerStore relays;
    private final SourceStore sources;
    private final LoadTaskStore loadTasks;
    private final SourceTransfer transfers;
    private final BindingPlanner planner = new BindingPlanner();
    private final MeterRegistry meters;
    private final Map<String, Gauge> stateGauges = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final List<Watch.Watcher> watchers = new ArrayList<>();
    private volatile Map<String, WorkerStatus> view = Map.of();
    private boolean haveView;
    private List<String> waitingLogged = List.of();
    private volatile boolean running;
    private ScheduledExecutorService executor;

    public Scheduler(EtcdKv kv, WorkerStore workers, BoundStore bounds, RelayWorkerStore relays, SourceStore sources,
                     SubTaskStore subtasks, MeterRegistry meters) {
        this(kv, workers, bounds, relays, sources, subtasks, meters, DEFAULT_TRANSFER_PAUSE_TIMEOUT);
    }

    public Scheduler(EtcdKv kv, WorkerStore workers, BoundStore bounds, RelayWorkerStore relays, SourceStore sources,
                     SubTaskStore subtasks, MeterRegistry meters, Duration transferPauseTimeout) {
        this.kv = kv;
        this.workers = workers;
        this.bounds = bounds;
        this.relays = relays;
        this.sources = sources;
        this.loadTasks = new LoadTaskStore(kv);
        this.transfers = new SourceTransfer(kv, bounds, subtasks, new WorkerClient()::subtaskStatus, transferPauseTimeout);
        this.meters = meters;
    }

    @Override
    public synchronized void onElected() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scheduler"));
        running = true;
        refresh();
        for (KeyFamily f : WATCHED) {
            watchers.add(kv.watchPrefix(f.rangePrefix(), r -> queueRefresh(), e -> {
                log.warn("scheduler watch on {} failed: {}", f.prefix(), e.toString());
                queueRefresh();
            }));
        }
        executor.scheduleWithFixedDelay(this::queueRefresh, 5, 5, TimeUnit.SECONDS);
        log.info("scheduler started with {} workers", view.size());
    }

    @Override
    public synchronized void onRevoked() {
        running = false;
        watchers.forEach(Watch.Watcher::close);
        watchers.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
        view = Map.of();
        haveView = false;
        waitingLogged = List.of();
        stateGauges.values().forEach(meters::remove);
        stateGauges.clear();
        log.info("scheduler stopped");
    }

    /** Every registered worker with its stage, by name. */
    public Collection<WorkerStatus> workers() {
        return view.values();
    }

    /**
     * Removes an offline worker's registration. Liveness is checked in etcd itself, not in the view,
     * so a worker that just came back is never removed.
     */
    public void removeWorker(String name) {
        if (workers.registered(name).isEmpty()) {
            throw new DmException(ErrorCode.WORKER_NOT_FOUND, name);
        }
        if (workers.isAlive(name)) {
            WorkerStatus s = view.get(name);
            throw new DmException(ErrorCode.WORKER_STILL_ALIVE, name, s == null ? "free" : s.stage().apiName());
        }
        workers.delete(name);
        refresh();
    }

    /** The worker serving the source, if it is bound. */
    public Optional<String> workerOf(String source) {
        return bounds.workerOf(source);
    }

    /** Fails unless the worker is online and serves no source. */
    public void requireFree(String worker, String source) {
        WorkerStatus w = view.get(worker);
        if (w == null) {
            throw new DmException(ErrorCode.WORKER_NOT_FOUND, worker);
        }
        if (w.stage() != WorkerStage.FREE) {
            throw new DmException(ErrorCode.WORKER_NOT_FREE, worker, source, "it is " + w.stage().apiName()
                    + (w.source().isEmpty() ? "" : " (source " + w.source() + ")"));
        }
    }

    /** Binds a source to a chosen free worker (the {@code worker_name} of a new source). */
    public void bindTo(String source, String worker) {
        requireFree(worker, source);
        if (!bounds.bind(new SourceBound(source, worker))) {
            throw new DmException(ErrorCode.WORKER_NOT_FREE, worker, source, "it went offline or took another source meanwhile");
        }
        log.info("bound source '{}' to worker '{}' as requested", source, worker);
        refresh();
    }

    /**
     * DM's transfer-source: to a free worker or a relay worker of the source; running subtasks must be in
     * the sync unit and are paused, rebound (one transaction) and resumed. See {@link SourceTransfer}.
     */
    public void transfer(String source, String worker) {
        try {
            transfers.transfer(source, worker, view);
        } catch (RuntimeException e) {
            queueRefresh();
            throw e;
        }
        refresh();
    }

    /** Re-plans bounds soon (a source was created, enabled or deleted). */
    public void reconcileSoon() {
        queueRefresh();
    }

    private void reconcile(Map<String, WorkerStatus> current, Map<String, String> relay, Set<String> justOnline) {
        Set<String> enabled = new TreeSet<>();
        sources.all().values().forEach(s -> {
            if (s.enable() == null || s.enable()) {
                enabled.add(s.sourceName());
            }
        });
        BindingPlanner.Plan plan = planner.plan(new BindingPlanner.Snapshot(current.values(), bounds.bounds(),
                bounds.lastBounds(), relay, loadTasks.holdersBySource(), enabled, justOnline));
        for (String w : plan.unbind()) {
            bounds.unbind(w);
            log.info("unbound worker '{}' (offline, or its source is disabled or gone)", w);
        }
        for (BindingPlanner.Move m : plan.moves()) {
            if (bounds.transfer(new SourceBound(m.source(), m.from()), m.to())) {
                log.info("moved source '{}' from worker '{}' back to worker '{}', which came back holding its unfinished"
                        + " load ({})", m.source(), m.from(), m.to(), BindingPlanner.Rule.TAKE_BACK_UNFINISHED_LOAD);
            }
        }
        for (BindingPlanner.Bind b : plan.bind()) {
            if (bounds.bind(b.bound())) {
                log.info("bound source '{}' to worker '{}' ({})", b.source(), b.worker(), b.rule());
            }
        }
        if (!plan.waiting().equals(waitingLogged)) {
            if (!plan.waiting().isEmpty()) {
                log.warn("source(s) {} wait for a worker: none is free; their subtasks resume once a worker registers"
                        + " or comes back", plan.waiting());
            }
            waitingLogged = plan.waiting();
        }
        if (!plan.isEmpty()) {
            queueRefresh();
        }
    }

    private void queueRefresh() {
        if (running && refreshQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    refreshQueued.set(false);
                    try {
                        refresh();
                    } catch (RuntimeException e) {
                        log.warn("scheduler could not read the workers: {}", e.toString());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                refreshQueued.set(false);
            }
        }
    }

    private synchronized void refresh() {
        if (!running) {
            return;
        }
        Map<String, WorkerInfo> registered = workers.registered();
        Set<String> alive = workers.alive();
        Map<String, SourceBound> bound = bounds.bounds();
        Map<String, String> relay = relays.relaySources();
        Map<String, WorkerStatus> next = new LinkedHashMap<>();
        for (WorkerInfo w : registered.values()) {
            WorkerStage stage;
            String source = "";
            if (!alive.contains(w.name())) {
                stage = WorkerStage.OFFLINE;
            } else if (bound.containsKey(w.name())) {
                stage = WorkerStage.BOUND;
                source = bound.get(w.name()).source();
            } else if (relay.containsKey(w.name())) {
                stage = WorkerStage.RELAY;
                source = relay.get(w.name());
            } else {
                stage = WorkerStage.FREE;
            }
            next.put(w.name(), new WorkerStatus(w.name(), w.addr(), stage, source));
        }
        Map<String, WorkerStatus> previous = view;
        // Online rule 1's take-back applies when a worker comes (back) online, as in DM; a new leader's first
        // view has no "before", so nobody counts as returning then.
        Set<String> justOnline = new TreeSet<>();
        if (haveView) {
            next.values().stream()
                    .filter(s -> s.stage() != WorkerStage.OFFLINE)
                    .filter(s -> previous.get(s.name()) == null || previous.get(s.name()).stage() == WorkerStage.OFFLINE)
                    .forEach(s -> justOnline.add(s.name()));
        }
        haveView = true;
        view = Map.copyOf(next);
        next.values().stream()
                .filter(s -> previous.get(s.name()) == null || previous.get(s.name()).stage() != s.stage())
                .forEach(s -> log.info("worker '{}' is {}{}", s.name(), s.stage().apiName(),
                        s.source().isEmpty() ? "" : " (source " + s.source() + ")"));
        updateGauges(next);
        reconcile(next, relay, justOnline);
    }

    /** DM's {@code dm_master_worker_state}: 0 offline, 1 free, 2 bound, 3 relay. */
    private void updateGauges(Map<String, WorkerStatus> next) {
        for (String name : next.keySet()) {
            stateGauges.computeIfAbsent(name, n -> Gauge.builder("dm_master_worker_state", () -> {
                WorkerStatus s = view.get(n);
                return s == null ? Double.NaN : s.stage().ordinal();
            }).description("Stage of each worker: 0 offline, 1 free, 2 bound, 3 relay").tag("worker", n).register(meters));
        }
        stateGauges.keySet().removeIf(name -> {
            if (next.containsKey(name)) {
                return false;
            }
            meters.remove(stateGauges.get(name));
            return true;
        });
    }
}
