package io.dmjava.master.scheduler;

import io.dmjava.master.election.LeaderService;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.cluster.WorkerStage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.KeyFamily;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.WorkerStore;
import io.etcd.jetcd.Watch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * across an etcd member failover). Binding sources to workers builds on this view (later issues).
 */
public final class Scheduler implements LeaderService {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final List<KeyFamily> WATCHED =
            List.of(EtcdKeys.WORKER_REGISTERED, EtcdKeys.WORKER_ALIVE, EtcdKeys.BOUND, EtcdKeys.RELAY_WORKER);

    private final EtcdKv kv;
    private final WorkerStore workers;
    private final BoundStore bounds;
    private final RelayWorkerStore relays;
    private final MeterRegistry meters;
    private final Map<String, Gauge> stateGauges = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final List<Watch.Watcher> watchers = new ArrayList<>();
    private volatile Map<String, WorkerStatus> view = Map.of();
    private volatile boolean running;
    private ScheduledExecutorService executor;

    public Scheduler(EtcdKv kv, WorkerStore workers, BoundStore bounds, RelayWorkerStore relays, MeterRegistry meters) {
        this.kv = kv;
        this.workers = workers;
        this.bounds = bounds;
        this.relays = relays;
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
        view = Map.copyOf(next);
        next.values().stream()
                .filter(s -> previous.get(s.name()) == null || previous.get(s.name()).stage() != s.stage())
                .forEach(s -> log.info("worker '{}' is {}{}", s.name(), s.stage().apiName(),
                        s.source().isEmpty() ? "" : " (source " + s.source() + ")"));
        updateGauges(next);
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
