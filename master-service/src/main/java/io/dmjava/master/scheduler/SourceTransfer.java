package io.dmjava.master.scheduler;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.cluster.WorkerStage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.SubTaskConfig;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdTxn;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.SubTaskStore.StageCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DM's {@code transfer-source}: the target must be a free worker or a relay worker of the source, and every
 * running subtask of the source must be in the sync unit (its position is then in the downstream checkpoint,
 * so another worker continues it; a dump or load in progress lives in local files). Those subtasks are paused
 * (expected stage Paused), the old worker is waited for until it reports them paused, the bound moves in one
 * guarded transaction, and they are set running again, now on the new worker. Any step that fails puts the
 * subtasks back to running where they were.
 */
final class SourceTransfer {
    private static final Logger log = LoggerFactory.getLogger(SourceTransfer.class);
    private static final long POLL_MILLIS = 200;

    /** Asks a worker for a subtask's live status for a given run; see {@code WorkerClient#subtaskStatus}. */
    interface StatusProbe {
        Optional<SubTaskStatus> status(String workerAddr, String task, long generation, long revision, String[] error);
    }

    /** A subtask to pause: its run as the old worker knows it. */
    private record Run(String task, long generation, long revision) {
    }

    private final EtcdKv kv;
    private final BoundStore bounds;
    private final SubTaskStore subtasks;
    private final StatusProbe probe;
    private final Duration pauseTimeout;

    SourceTransfer(EtcdKv kv, BoundStore bounds, SubTaskStore subtasks, StatusProbe probe, Duration pauseTimeout) {
        this.kv = kv;
        this.bounds = bounds;
        this.subtasks = subtasks;
        this.probe = probe;
        this.pauseTimeout = pauseTimeout;
    }

    /** Moves {@code source} to {@code target}; {@code view} is the scheduler's current view of the workers. */
    void transfer(String source, String target, Map<String, WorkerStatus> view) {
        requireEligible(source, target, view);
        Optional<SourceBound> current = bounds.bounds().values().stream().filter(b -> b.source().equals(source)).findFirst();
        if (current.isEmpty()) {
            if (!bounds.bind(new SourceBound(source, target))) {
                throw new DmException(ErrorCode.TRANSFER_CONFLICT, source, "worker '" + target
                        + "' went offline, or the source or the worker was bound meanwhile");
            }
            log.info("transfer-source: bound unbound source '{}' to worker '{}'", source, target);
            return;
        }
        SourceBound from = current.get();
        if (from.worker().equals(target)) {
            return;
        }
        WorkerStatus old = view.get(from.worker());
        if (old == null || old.stage() == WorkerStage.OFFLINE) {
            throw new DmException(ErrorCode.TRANSFER_CONFLICT, source, "its worker '" + from.worker()
                    + "' is offline; the scheduler rebinds the source by its rules in a moment");
        }
        List<Run> running = runningInSync(source, old);
        pause(source, running);
        awaitPaused(source, old, running);
        if (!bounds.transfer(from, target)) {
            setRunning(source, running);
            throw new DmException(ErrorCode.TRANSFER_CONFLICT, source, "its bound changed, or worker '" + target
                    + "' went offline or took another source, while its subtasks were pausing; they run again on '"
                    + from.worker() + "'");
        }
        setRunning(source, running);
        log.info("transfer-source: moved source '{}' from worker '{}' to worker '{}' (subtasks paused and resumed: {})",
                source, from.worker(), target, running.stream().map(Run::task).toList());
    }

    /** Only a free worker, or a relay worker of this very source, may take it (DM). */
    private static void requireEligible(String source, String target, Map<String, WorkerStatus> view) {
        WorkerStatus w = view.get(target);
        if (w == null) {
            throw new DmException(ErrorCode.WORKER_NOT_FOUND, target);
        }
        boolean free = w.stage() == WorkerStage.FREE;
        boolean relayOfSource = w.stage() == WorkerStage.RELAY && w.source().equals(source);
        boolean alreadyThere = w.stage() == WorkerStage.BOUND && w.source().equals(source);
        if (!free && !relayOfSource && !alreadyThere) {
            String why = switch (w.stage()) {
                case OFFLINE -> "it is offline";
                case BOUND -> "it is bound to source '" + w.source() + "'";
                case RELAY -> "it is a relay worker of source '" + w.source() + "'";
                default -> "it is " + w.stage().apiName();
            };
            throw new DmException(ErrorCode.TRANSFER_TARGET_NOT_ELIGIBLE, target, source, why);
        }
    }

    /**
     * The subtasks expected to run and not finished, each of which the old worker must report in the sync
     * unit; otherwise the transfer is refused before anything changes.
     */
    private List<Run> runningInSync(String source, WorkerStatus old) {
        Map<String, SubTaskConfig> configs = subtasks.configs(source);
        List<Run> toPause = new ArrayList<>();
        List<String> notInSync = new ArrayList<>();
        for (Map.Entry<String, StageCommand> e : subtasks.stageCommands(source).entrySet()) {
            SubTaskConfig cfg = configs.get(e.getKey());
            if (e.getValue().stage() != Stage.Running || cfg == null) {
                continue;
            }
            Run run = new Run(e.getKey(), cfg.generation(), e.getValue().revision());
            String[] error = {null};
            Optional<SubTaskStatus> st = probe.status(old.addr(), run.task(), run.generation(), run.revision(), error);
            if (st.isPresent() && Stage.Finished.name().equals(st.get().stage())) {
                continue;
            }
            if (st.isPresent() && "sync".equals(st.get().unit())) {
                toPause.add(run);
            } else {
                notInSync.add(run.task() + " (" + st.map(s -> "unit " + (s.unit() == null || s.unit().isEmpty() ? "none" : s.unit())
                                + ", " + s.stage())
                        .orElse(error[0] != null ? error[0] : "worker '" + old.name() + "' has not started it yet") + ")");
            }
        }
        if (!notInSync.isEmpty()) {
            throw new DmException(ErrorCode.TRANSFER_NOT_IN_SYNC, source, notInSync);
        }
        return toPause;
    }

    private void pause(String source, List<Run> runs) {
        if (runs.isEmpty()) {
            return;
        }
        EtcdTxn txn = kv.txn();
        for (Run r : runs) {
            String key = subtasks.stageKey(source, r.task());
            txn.requireValue(key, SubTaskStore.encode(Stage.Running)).put(key, SubTaskStore.encode(Stage.Paused));
        }
        if (!txn.commit()) {
            throw new DmException(ErrorCode.TRANSFER_CONFLICT, source, "a task's stage changed while the transfer began");
        }
    }

    /** Polls the old worker (bounded by the pause timeout) until none of the runs is still running there. */
    private void awaitPaused(String source, WorkerStatus old, List<Run> runs) {
        Map<String, String> pending = new LinkedHashMap<>();
        runs.forEach(r -> pending.put(r.task(), "no answer yet"));
        long deadline = System.nanoTime() + pauseTimeout.toNanos();
        while (true) {
            for (Run r : runs) {
                if (!pending.containsKey(r.task())) {
                    continue;
                }
                String[] error = {null};
                Optional<SubTaskStatus> st = probe.status(old.addr(), r.task(), r.generation(), r.revision(), error);
                if (st.isPresent() && !Stage.Running.name().equals(st.get().stage())) {
                    pending.remove(r.task());
                } else if (st.isEmpty() && error[0] == null) {
                    pending.remove(r.task()); // the worker runs nothing for that run any more
                } else {
                    pending.put(r.task(), error[0] != null ? error[0] : "still " + st.get().stage());
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                setRunning(source, runs);
                throw new DmException(ErrorCode.TRANSFER_PAUSE_TIMEOUT, old.name(), pending.keySet(), source,
                        pauseTimeout.toSeconds(), pending.values());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                setRunning(source, runs);
                throw new DmException(ErrorCode.TRANSFER_CONFLICT, source, "the master was interrupted (it is stopping)");
            }
        }
    }

    /** Sets each paused run running again, unless someone changed its stage meanwhile (then theirs stands). */
    private void setRunning(String source, List<Run> runs) {
        for (Run r : runs) {
            String key = subtasks.stageKey(source, r.task());
            kv.txn().requireValue(key, SubTaskStore.encode(Stage.Paused)).put(key, SubTaskStore.encode(Stage.Running)).commit();
        }
    }
}
