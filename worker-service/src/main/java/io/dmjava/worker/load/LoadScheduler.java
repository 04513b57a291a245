package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Hands work to the import threads as it becomes possible: chunks as their files appear, and a table's index
 * build as soon as its last chunk is committed (first, so it overlaps the loading of other tables). A thread
 * keeps to one table while it has chunks ready, taking them in key order, so each table grows by appending
 * to its primary key; otherwise it takes a table no other thread is on, and shares one only when nothing
 * else is left.
 */
final class LoadScheduler {
    /** Something for an import thread to do. */
    sealed interface Work permits ImportChunk, BuildIndexes {
    }

    /** Import one chunk. */
    record ImportChunk(Pending pending) implements Work {
    }

    /** Add the deferred indexes of a table whose chunks are all in. */
    record BuildIndexes(TargetTable table) implements Work {
    }

    private final Map<TableName, TargetTable> targets;
    private final Map<TableName, Integer> remaining;
    private final BooleanSupplier stop;
    /** Ready chunks per upstream table index, in key order. */
    private final TreeMap<Integer, ArrayDeque<Pending>> ready = new TreeMap<>();
    private final Map<Integer, Integer> busy = new HashMap<>();
    private final ArrayDeque<TargetTable> indexBuilds = new ArrayDeque<>();
    private int running;
    private boolean inputComplete;
    private boolean halted;
    private Throwable failure;

    /**
     * @param remaining per target, the chunks not yet committed (all its chunks, by the dump's plan); a table
     *                  at zero already gets its index build
     */
    LoadScheduler(Map<TableName, TargetTable> targets, Map<TableName, Integer> remaining, BooleanSupplier stop) {
        this.targets = Map.copyOf(targets);
        this.remaining = new HashMap<>(remaining);
        this.stop = stop;
        targets.values().forEach(t -> {
            if (this.remaining.getOrDefault(t.name(), 0) == 0) {
                queueIndexBuild(t);
            }
        });
    }

    /** A chunk whose file is complete. */
    synchronized void offer(Pending p) {
        ready.computeIfAbsent(p.table().index(), k -> new ArrayDeque<>()).add(p);
        notifyAll();
    }

    /** No chunk will be offered any more: threads end once the rest is done. */
    synchronized void inputComplete() {
        inputComplete = true;
        notifyAll();
    }

    /** Stops handing out work; the threads end after what they run now. */
    synchronized void halt() {
        halted = true;
        notifyAll();
    }

    synchronized void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        halt();
    }

    synchronized Throwable failure() {
        return failure;
    }

    synchronized boolean halted() {
        return halted;
    }

    /**
     * The next work for a thread whose last chunk came from upstream table {@code lastTable} (-1: none), or
     * null when there is nothing more to do (all done, stopped or failed).
     */
    synchronized Work next(int lastTable) throws InterruptedException {
        while (true) {
            if (halted || stop.getAsBoolean()) {
                halt();
                return null;
            }
            TargetTable build = indexBuilds.poll();
            if (build != null) {
                running++;
                return new BuildIndexes(build);
            }
            Pending p = pick(lastTable);
            if (p != null) {
                running++;
                busy.merge(p.table().index(), 1, Integer::sum);
                return new ImportChunk(p);
            }
            if (inputComplete && running == 0) {
                notifyAll();
                return null;
            }
            wait(200); // also wakes up to notice a stop request
        }
    }

    /** {@code work} is done (a chunk committed now or found committed before). */
    synchronized void done(Work work) {
        running--;
        if (work instanceof ImportChunk ic) {
            busy.merge(ic.pending().table().index(), -1, Integer::sum);
            TableName target = ic.pending().target();
            if (remaining.merge(target, -1, Integer::sum) == 0) {
                queueIndexBuild(targets.get(target));
            }
        }
        notifyAll();
    }

    private void queueIndexBuild(TargetTable t) {
        if (t != null && !t.deferred().isEmpty()) {
            indexBuilds.add(t);
        }
    }

    private Pending pick(int lastTable) {
        ArrayDeque<Pending> same = ready.get(lastTable);
        if (same != null) {
            return take(lastTable, same);
        }
        Integer shared = null;
        for (Map.Entry<Integer, ArrayDeque<Pending>> e : ready.entrySet()) {
            int threads = busy.getOrDefault(e.getKey(), 0);
            if (threads == 0) {
                return take(e.getKey(), e.getValue());
            }
            if (shared == null || threads < busy.getOrDefault(shared, 0)) {
                shared = e.getKey();
            }
        }
        return shared == null ? null : take(shared, ready.get(shared));
    }

    private Pending take(int table, ArrayDeque<Pending> queue) {
        Pending p = queue.poll();
        if (queue.isEmpty()) {
            ready.remove(table);
        }
        return p;
    }
}
