package io.dmjava.worker.subtask;

import io.dmjava.store.LoadTaskStore;
import io.dmjava.worker.unit.PipelinedUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a subtask's load unit so that this worker's load-task mark ({@code /dm/load-task/{task}/{source}})
 * exists while the load is unfinished: written when the load starts, deleted when it returns complete (not
 * when it stops for a pause or fails: the files it still needs stay here). The master's scheduler then
 * gives the source back to this worker in preference (DM's load-task keys).
 */
final class LoadTaskMark implements PipelinedUnit {
    private static final Logger log = LoggerFactory.getLogger(LoadTaskMark.class);

    private final Unit load;
    private final LoadTaskStore store;
    private final String worker;

    private LoadTaskMark(Unit load, LoadTaskStore store, String worker) {
        this.load = load;
        this.store = store;
        this.worker = worker;
    }

    /** The chain with its load unit (if any) marked for {@code worker}. */
    static List<Function<UnitContext, Unit>> around(List<Function<UnitContext, Unit>> chain, LoadTaskStore store, String worker) {
        return chain.stream().<Function<UnitContext, Unit>>map(f -> ctx -> {
            Unit u = f.apply(ctx);
            return "load".equals(u.type()) ? new LoadTaskMark(u, store, worker) : u;
        }).toList();
    }

    @Override
    public void run(UnitContext ctx) throws InterruptedException {
        // A missing mark costs only a scheduling preference, so etcd trouble never stops the load itself.
        try {
            store.put(ctx.taskName(), ctx.sourceName(), worker);
        } catch (RuntimeException e) {
            log.warn("subtask {}/{}: cannot record the unfinished load in etcd ({}); the scheduler may not prefer"
                    + " this worker for the source", ctx.taskName(), ctx.sourceName(), e.getMessage());
        }
        load.run(ctx);
        if (!ctx.stopRequested().getAsBoolean()) {
            try {
                store.deleteIfHeldBy(ctx.taskName(), ctx.sourceName(), worker);
            } catch (RuntimeException e) {
                log.warn("subtask {}/{}: cannot delete the finished load's mark in etcd ({}); it goes with the task",
                        ctx.taskName(), ctx.sourceName(), e.getMessage());
            }
        }
    }

    @Override
    public String type() {
        return load.type();
    }

    @Override
    public Object status() {
        return load.status();
    }

    @Override
    public Unit unwrapped() {
        return load.unwrapped();
    }

    @Override
    public boolean followsPrevious() {
        return load instanceof PipelinedUnit p && p.followsPrevious();
    }
}
