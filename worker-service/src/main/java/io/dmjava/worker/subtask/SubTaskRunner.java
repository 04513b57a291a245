package io.dmjava.worker.subtask;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.DmException;
import io.dmjava.worker.sync.SyncStatus;
import io.dmjava.worker.unit.PipelinedUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subtask's unit chain (dump -> load for full mode) on its own thread. Each unit resumes
 * from its own checkpoint, so a runner started again after a pause, an error or a crash continues
 * where the last one stopped. An error pauses the subtask with the error shown in its status. A unit
 * that follows the previous one's output ({@link PipelinedUnit}) runs alongside it on a second thread;
 * the status shows the previous unit until it returns, then the follower.
 */
final class SubTaskRunner {
    private static final Logger log = LoggerFactory.getLogger(SubTaskRunner.class);

    private final String worker;
    private final UnitContext ctxTemplate;
    private final List<Unit> units;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Thread thread;
    private volatile Stage stage = Stage.New;
    private volatile Unit current;
    private volatile String error;
    /** The error that paused the run, if any (auto-resume looks at what it was). */
    private volatile Throwable failure;
    private volatile long startedNanos;
    private volatile long endedNanos;
    private final BiConsumer<String, Boolean> unitFailed;

    SubTaskRunner(String worker, UnitContext ctx, List<Function<UnitContext, Unit>> chain) {
        this(worker, ctx, chain, (type, resumable) -> { });
    }

    /**
     * {@code unitFailed} hears the type of the unit whose error paused the subtask and whether the error is transient
     * (auto-resumed), for its error counter.
     */
    SubTaskRunner(String worker, UnitContext ctx, List<Function<UnitContext, Unit>> chain,
                  BiConsumer<String, Boolean> unitFailed) {
        this.worker = worker;
        this.unitFailed = unitFailed;
        this.ctxTemplate = ctx.withStopRequested(stopRequested::get);
        this.units = chain.stream().map(f -> f.apply(ctxTemplate)).toList();
        this.thread = new Thread(this::run, "subtask-" + ctx.taskName() + "-" + ctx.sourceName());
        this.thread.setDaemon(true);
    }

    void start() {
        stage = Stage.Running;
        startedNanos = System.nanoTime();
        thread.start();
    }

    /** Asks the units to stop at their next safe point and waits for them; {@code to} is Paused or Stopped. */
    void stop(Stage to) {
        stopRequested.set(true);
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a paused subtask that is stopped is Stopped: else it would look paused (and alert) forever
        if (stage == Stage.Running || (stage == Stage.Paused && to == Stage.Stopped)) {
            stage = to;
        }
    }

    UnitContext context() {
        return ctxTemplate;
    }

    boolean isActive() {
        return thread.isAlive();
    }

    /** Whether the runner is done or, having been asked to stop, finishes within {@code timeout}. */
    boolean stoppedWithin(Duration timeout) throws InterruptedException {
        if (thread.isAlive() && stopRequested.get() && timeout.toMillis() > 0) { // join(0) would wait forever
            thread.join(timeout.toMillis());
        }
        return !thread.isAlive();
    }

    Stage stage() {
        return stage;
    }

    /** Whether the run is over, paused by an error that may go away by itself ({@link AutoResume#isTransient}). */
    boolean pausedByTransientError() {
        Throwable f = failure;
        return !thread.isAlive() && stage == Stage.Paused && f != null && AutoResume.isTransient(f);
    }

    /** How long the run lasted (so far, while it runs). */
    long ranNanos() {
        long end = endedNanos;
        return (end == 0 ? System.nanoTime() : end) - startedNanos;
    }

    String source() {
        return ctxTemplate.sourceName();
    }

    List<Unit> units() {
        return units;
    }

    private void run() {
        try {
            runUnits();
        } finally {
            endedNanos = System.nanoTime();
        }
    }

    private void runUnits() {
        try {
            ctxTemplate.fence().claim(); // before any unit reads a checkpoint: an earlier owner's commits are then final
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                Unit next = i + 1 < units.size() ? units.get(i + 1) : null;
                if (next instanceof PipelinedUnit p && p.followsPrevious()) {
                    runTogether(u, next);
                    i++;
                } else {
                    current = u;
                    log.info("subtask {}/{}: unit {} starts", ctxTemplate.taskName(), ctxTemplate.sourceName(), u.type());
                    u.run(ctxTemplate);
                }
                if (stopRequested.get()) {
                    stage = Stage.Paused;
                    return;
                }
            }
            stage = Stage.Finished;
            log.info("subtask {}/{} finished", ctxTemplate.taskName(), ctxTemplate.sourceName());
        } catch (InterruptedException e) {
            stage = Stage.Paused;
        } catch (DmException e) {
            error = e.getMessage();
            failure = e;
            stage = Stage.Paused;
            unitFailed.accept(current == null ? "" : current.type(), AutoResume.isTransient(e));
            log.error("subtask {}/{} paused by an error in unit {}: {}", ctxTemplate.taskName(), ctxTemplate.sourceName(),
                    current == null ? "?" : current.type(), e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            error = "unexpected failure in unit " + (current == null ? "?" : current.type()) + ": " + e
                    + "; workaround: resume the task; if it repeats, report it with the worker's log";
            failure = e;
            stage = Stage.Paused;
            unitFailed.accept(current == null ? "" : current.type(), AutoResume.isTransient(e));
            log.error("subtask {}/{} failed", ctxTemplate.taskName(), ctxTemplate.sourceName(), e);
        }
    }

    /**
     * Runs {@code producer} here and {@code follower} alongside it. When the producer fails the follower is
     * stopped (what it imported belongs to a dump that will be taken again); when the follower fails the
     * producer still completes, since its output stays usable after a resume, and the error shows at once.
     */
    private void runTogether(Unit producer, Unit follower) throws InterruptedException {
        AtomicBoolean producerFailed = new AtomicBoolean();
        AtomicReference<Throwable> followerFailure = new AtomicReference<>();
        UnitContext followerCtx = ctxTemplate.withStopRequested(() -> stopRequested.get() || producerFailed.get());
        Thread followerThread = new Thread(() -> {
            try {
                follower.run(followerCtx);
            } catch (InterruptedException | RuntimeException | Error e) {
                followerFailure.set(e);
                if (e instanceof DmException dm) {
                    error = dm.getMessage();
                }
            }
        }, thread.getName() + "-" + follower.type());
        followerThread.setDaemon(true);
        current = producer;
        log.info("subtask {}/{}: unit {} starts, unit {} follows it", ctxTemplate.taskName(), ctxTemplate.sourceName(),
                producer.type(), follower.type());
        followerThread.start();
        try {
            producer.run(ctxTemplate);
        } catch (InterruptedException | RuntimeException | Error e) {
            producerFailed.set(true);
            followerThread.join();
            throw e;
        }
        current = follower;
        followerThread.join();
        Throwable failure = followerFailure.get();
        if (failure instanceof InterruptedException ie) {
            throw ie;
        } else if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        }
    }

    SubTaskStatus status() {
        Object dump = null;
        Object load = null;
        Object sync = null;
        for (Unit u : units) {
            switch (u.type()) {
                case "dump" -> dump = u.status();
                case "load" -> load = u.status();
                case "sync" -> sync = u.status();
                default -> { }
            }
        }
        Unit u = current;
        return new SubTaskStatus(ctxTemplate.taskName(), ctxTemplate.sourceName(), worker, stage.name(),
                u == null ? "" : u.type(), sync instanceof SyncStatus s ? s.unresolvedDdlLockId() : null, dump, load, sync, error);
    }
}
