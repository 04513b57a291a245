package io.dmjava.master.shardddl;

import io.dmjava.master.election.LeaderService;
import io.dmjava.master.shardddl.PessimismPlan.Delete;
import io.dmjava.master.shardddl.PessimismPlan.Kind;
import io.dmjava.master.shardddl.PessimismPlan.OpWrite;
import io.dmjava.master.shardddl.PessimismPlan.Removal;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdTxn;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.TaskStore;
import io.etcd.jetcd.Watch;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's coordinator of shard DDLs in pessimistic shard mode (DM's Pessimist; docs/shard-ddl.md). It keeps no
 * state of its own: each round reads every info and operation (at one etcd revision) and the tasks' sources, lets
 * {@link PessimismPlanner} decide, and applies the decisions in guarded transactions. Rounds run on one thread, on
 * any change under the watched prefixes (bursts coalesce into one round), every few seconds in case a watch event
 * was lost, and at election: a new leader continues every lock where the last one left it.
 */
public final class Pessimist implements LeaderService {
    private static final Logger log = LoggerFactory.getLogger(Pessimist.class);
    public static final Duration DEFAULT_SAFETY_INTERVAL = Duration.ofSeconds(5);

    private final EtcdKv kv;
    private final PessimismInfoStore infos;
    private final PessimismOperationStore ops;
    private final SubTaskStore subtasks;
    private final TaskStore tasks;
    private final Duration safetyInterval;
    private final PessimismPlanner planner = new PessimismPlanner();
    private final DdlStateGauges gauges;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final List<Watch.Watcher> watchers = new ArrayList<>();
    private volatile boolean running;
    private ScheduledExecutorService executor;

    public Pessimist(EtcdKv kv, PessimismInfoStore infos, PessimismOperationStore ops, SubTaskStore subtasks,
                     TaskStore tasks, MeterRegistry meters) {
        this(kv, infos, ops, subtasks, tasks, meters, DEFAULT_SAFETY_INTERVAL);
    }

    public Pessimist(EtcdKv kv, PessimismInfoStore infos, PessimismOperationStore ops, SubTaskStore subtasks,
                     TaskStore tasks, MeterRegistry meters, Duration safetyInterval) {
        this.kv = kv;
        this.infos = infos;
        this.ops = ops;
        this.subtasks = subtasks;
        this.tasks = tasks;
        this.safetyInterval = safetyInterval;
        this.gauges = new DdlStateGauges(meters);
    }

    @Override
    public synchronized void onElected() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "pessimist"));
        running = true;
        // Tasks and subtasks too: a task's sources (the lock's expected sources) and its shard mode (the metric).
        for (String prefix : List.of(infos.watchPrefix(), ops.watchPrefix(), EtcdKeys.SUBTASK_CONFIG.rangePrefix(),
                EtcdKeys.TASK_CONFIG.rangePrefix())) {
            watchers.add(kv.watchPrefix(prefix, r -> queueRound(), e -> {
                log.warn("pessimist watch on {} failed: {}", prefix, e.toString());
                queueRound();
            }));
        }
        long ms = safetyInterval.toMillis();
        executor.scheduleWithFixedDelay(this::queueRound, 0, ms, TimeUnit.MILLISECONDS);
        log.info("pessimist started");
    }

    @Override
    public synchronized void onRevoked() {
        running = false;
        watchers.forEach(Watch.Watcher::close);
        watchers.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
        gauges.clear();
        log.info("pessimist stopped");
    }

    private void queueRound() {
        if (running && roundQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    roundQueued.set(false);
                    try {
                        reconcile();
                    } catch (RuntimeException e) {
                        log.warn("pessimist round failed, retrying on the next change or in {} ms: {}",
                                safetyInterval.toMillis(), e.toString());
                    }
                });
            } catch (RejectedExecutionException stopped) {
                roundQueued.set(false);
            }
        }
    }

    /** One round: read, decide, apply. Idempotent; another round follows when something was changed. */
    synchronized void reconcile() {
        if (!running) {
            return;
        }
        // Infos and operations at one revision; the tasks' sources after them, so a source seen gone really is.
        PessimismInfoStore.Snapshot snap = infos.snapshot();
        List<PessimismOperationStore.Entry> opEntries = ops.allAt(snap.revision());
        Map<String, Set<String>> sources = subtasks.sourcesByTask();
        List<String> pessimistic = tasks.all().values().stream()
                .filter(t -> "pessimistic".equals(t.shardMode())).map(t -> t.name()).toList();
        PessimismPlan plan = planner.plan(snap.entries(), opEntries, sources);
        boolean changed = false;
        for (OpWrite w : plan.writes()) {
            changed |= apply(w);
        }
        for (Removal r : plan.removals()) {
            changed |= apply(r);
        }
        gauges.update(pessimistic, plan.locks());
        if (changed) {
            // A failed guard needs no retry here: the change that failed it is a watch event, hence a round.
            queueRound();
        }
    }

    private boolean apply(OpWrite w) {
        String opKey = ops.key(w.task(), w.source());
        EtcdTxn txn = kv.txn();
        if (w.expectedOp() == null) {
            txn.requireAbsent(opKey);
        } else {
            txn.requireValue(opKey, w.expectedOp());
        }
        if (w.expectedInfo() != null) {
            txn.requireValue(infos.key(w.task(), w.source()), w.expectedInfo());
        }
        if (w.put() == null) {
            txn.delete(opKey);
        } else {
            txn.put(opKey, ops.encode(w.put()));
        }
        if (!txn.commit()) {
            return false;
        }
        if (w.put() == null) {
            log.info("task '{}': removed the shard DDL operation of source '{}' ({})", w.task(), w.source(), w.why());
        } else if (w.put().conflict() != null) {
            log.warn("task '{}': shard DDL lock {} conflicts: {}", w.task(), w.put().lockId(), w.put().conflict());
        } else {
            log.info("task '{}': shard DDL lock {}: source '{}' {} {} ({})", w.task(), w.put().lockId(), w.source(),
                    w.put().exec() ? "runs" : "skips", w.put().ddls(), w.why());
        }
        return true;
    }

    private boolean apply(Removal r) {
        EtcdTxn txn = kv.txn();
        for (Delete d : r.deletes()) {
            String key = d.kind() == Kind.INFO ? infos.key(d.task(), d.source()) : ops.key(d.task(), d.source());
            txn.requireValue(key, d.raw()).delete(key);
        }
        if (!txn.commit()) {
            return false;
        }
        log.info("removed {} shard DDL key(s): {}", r.deletes().size(), r.why());
        return true;
    }
}
