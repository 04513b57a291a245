package io.dmjava.master.scheduler;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerStage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which bounds to drop and which to create, from a snapshot of the cluster: pure logic, so
 * every rule is unit-tested without etcd. Rules so far: a bound whose worker is offline, or whose
 * source is gone or disabled, is dropped; an enabled source without a worker goes first to the free
 * worker it was last bound to, then (for the rest) to any free worker in name order, for predictability.
 */
public final class BindingPlanner {

    /** Bounds to drop (by worker name) and bounds to create. */
    public record Plan(List<String> unbind, List<SourceBound> bind) {
        public boolean isEmpty() {
            return unbind.isEmpty() && bind.isEmpty();
        }
    }

    public Plan plan(Collection<WorkerStatus> workers, Map<String, SourceBound> bounds,
                     Map<String, SourceBound> lastBounds, Set<String> enabledSources) {
        Map<String, WorkerStatus> byName = new TreeMap<>();
        workers.forEach(w -> byName.put(w.name(), w));
        List<String> unbind = new ArrayList<>();
        Set<String> boundSources = new HashSet<>();
        Set<String> busyWorkers = new HashSet<>();
        for (SourceBound b : bounds.values()) {
            WorkerStatus w = byName.get(b.worker());
            boolean workerGone = w == null || w.stage() == WorkerStage.OFFLINE;
            if (workerGone || !enabledSources.contains(b.source())) {
                unbind.add(b.worker());
            } else {
                boundSources.add(b.source());
                busyWorkers.add(b.worker());
            }
        }
        List<String> free = byName.values().stream()
                .filter(w -> w.stage() == WorkerStage.FREE || (w.stage() == WorkerStage.BOUND && unbind.contains(w.name())))
                .filter(w -> !busyWorkers.contains(w.name()))
                .map(WorkerStatus::name)
                .toList();
        List<String> available = new ArrayList<>(free);
        List<String> waiting = new TreeSet<>(enabledSources).stream().filter(src -> !boundSources.contains(src)).toList();
        List<SourceBound> bind = new ArrayList<>();
        // Pass 1: each waiting source back to the free worker it was last bound to.
        for (String source : waiting) {
            available.stream()
                    .filter(w -> lastBounds.containsKey(w) && lastBounds.get(w).source().equals(source))
                    .findFirst()
                    .ifPresent(w -> {
                        bind.add(new SourceBound(source, w));
                        available.remove(w);
                    });
        }
        // Pass 2: the rest to any remaining free worker, in name order.
        for (String source : waiting) {
            if (bind.stream().noneMatch(b -> b.source().equals(source)) && !available.isEmpty()) {
                bind.add(new SourceBound(source, available.remove(0)));
            }
        }
        return new Plan(List.copyOf(unbind), List.copyOf(bind));
    }
}
