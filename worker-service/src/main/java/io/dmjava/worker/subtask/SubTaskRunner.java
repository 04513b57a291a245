package io.dmjava.worker.subtask;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.DmException;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subtask's unit chain (dump -> load for full mode) on its own thread. Each unit resumes
 * from its own checkpoint, so a runner started again after a pause, an error or a crash continues
 * where the last one stopped. An error pauses the subtask with the error shown in its status.
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

    SubTaskRunner(String worker, UnitContext ctx, List<Function<UnitContext, Unit>> chain) {
        this.worker = worker;
        this.ctxTemplate = new UnitContext(ctx.task(), ctx.sourceName(), ctx.source(), ctx.target(), ctx.router(),
                ctx.dataDir(), stopRequested::get);
        this.units = chain.stream().map(f -> f.apply(ctxTemplate)).toList();
        this.thread = new Thread(this::run, "subtask-" + ctx.taskName() + "-" + ctx.sourceName());
        this.thread.setDaemon(true);
    }

    void start() {
        stage = Stage.Running;
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
        if (stage == Stage.Running) {
            stage = to;
        }
    }

    boolean isActive() {
        return thread.isAlive();
    }

    Stage stage() {
        return stage;
    }

    private void run() {
        try {
            for (Unit u : units) {
                current = u;
                log.info("subtask {}/{}: unit {} starts", ctxTemplate.taskName(), ctxTemplate.sourceName(), u.type());
                u.run(ctxTemplate);
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
            stage = Stage.Paused;
            log.error("subtask {}/{} paused by an error in unit {}: {}", ctxTemplate.taskName(), ctxTemplate.sourceName(),
                    current == null ? "?" : current.type(), e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            error = "unexpected failure in unit " + (current == null ? "?" : current.type()) + ": " + e
                    + "; workaround: resume the task; if it repeats, report it with the worker's log";
            stage = Stage.Paused;
            log.error("subtask {}/{} failed", ctxTemplate.taskName(), ctxTemplate.sourceName(), e);
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
                u == null ? "" : u.type(), null, dump, load, sync, error);
    }
}
