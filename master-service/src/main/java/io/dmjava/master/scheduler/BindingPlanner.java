package io.dmjava.master.scheduler;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerStage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Decides which bounds to drop, move and create from a snapshot of the cluster, by DM's scheduling rules:
 * pure logic, so every rule is unit-tested without etcd (docs/scheduling.md lists them).
 *
 * <p>DM applies its rules on events (a worker goes offline: find a worker for its source; a worker comes
 * online: find a source for it). This planner is level-based instead: every waiting source is matched
 * against every available worker in passes, strongest rule first, which gives both of DM's orders at
 * once, because each of the worker's preferences is the same pairing as one of the source's:
 * <ol>
 *   <li>{@link Rule#UNFINISHED_LOAD}: the worker holding an unfinished load of the source (its dump files);</li>
 *   <li>{@link Rule#TAKE_BACK_UNFINISHED_LOAD}: a worker that just came online takes back a source it holds an
 *       unfinished load of, from a worker that has not started that load (so is still dumping or idle);</li>
 *   <li>{@link Rule#RELAY_LAST_BOUND}: a relay worker of the source that was last bound to it;</li>
 *   <li>{@link Rule#RELAY}: any relay worker of the source;</li>
 *   <li>{@link Rule#FREE_LAST_BOUND}: a free worker last bound to the source;</li>
 *   <li>{@link Rule#ANY_FREE}: any free worker (name order, where DM picks at random).</li>
 * </ol>
 * A relay worker is never given a source other than its relay source. Sources left over wait: the next
 * snapshot with a new or returning worker binds them.
 */
public final class BindingPlanner {

    /** Why a worker was chosen for a source; the names match docs/scheduling.md. */
    public enum Rule {
        UNFINISHED_LOAD, TAKE_BACK_UNFINISHED_LOAD, RELAY_LAST_BOUND, RELAY, FREE_LAST_BOUND, ANY_FREE
    }

    /**
     * What the planner sees.
     *
     * @param workers         every registered worker with its stage
     * @param bounds          current bounds by worker
     * @param lastBounds      each worker's last bound by worker
     * @param relaySources    relay source by worker ({@code /dm/relay-worker})
     * @param unfinishedLoads workers holding an unfinished load, by source ({@code /dm/load-task})
     * @param enabledSources  the sources that should be served
     * @param justOnline      workers that came online (or registered) since the previous snapshot
     */
    public record Snapshot(Collection<WorkerStatus> workers, Map<String, SourceBound> bounds,
                           Map<String, SourceBound> lastBounds, Map<String, String> relaySources,
                           Map<String, Set<String>> unfinishedLoads, Set<String> enabledSources, Set<String> justOnline) {
    }

    /** A new bound and the rule that chose it. */
    public record Bind(String source, String worker, Rule rule) {
        public SourceBound bound() {
            return new SourceBound(source, worker);
        }
    }

    /** A bound moved from one live worker to another in one transaction ({@link Rule#TAKE_BACK_UNFINISHED_LOAD}). */
    public record Move(String source, String from, String to) {
    }

    /** Bounds to drop (by worker name), to move and to create; {@code waiting}: enabled sources left without a worker. */
    public record Plan(List<String> unbind, List<Move> moves, List<Bind> bind, List<String> waiting) {
        public boolean isEmpty() {
            return unbind.isEmpty() && moves.isEmpty() && bind.isEmpty();
        }
    }

    public Plan plan(Snapshot s) {
        return new Round(s).run();
    }

    /** One planning round's working state. */
    private static final class Round {
        private final Snapshot s;
        private final List<String> unbind = new ArrayList<>();
        private final List<Move> moves = new ArrayList<>();
        private final List<Bind> binds = new ArrayList<>();
        private final Map<String, String> kept = new HashMap<>();
        private final TreeSet<String> available = new TreeSet<>();
        private final TreeSet<String> waiting = new TreeSet<>();

        Round(Snapshot s) {
            this.s = s;
        }

        Plan run() {
            Map<String, WorkerStatus> byName = new TreeMap<>();
            s.workers().forEach(w -> byName.put(w.name(), w));
            for (SourceBound b : s.bounds().values()) {
                WorkerStatus w = byName.get(b.worker());
                boolean workerGone = w == null || w.stage() == WorkerStage.OFFLINE;
                if (workerGone || !s.enabledSources().contains(b.source())) {
                    unbind.add(b.worker());
                } else {
                    kept.put(b.source(), b.worker());
                }
            }
            byName.values().stream()
                    .filter(w -> w.stage() != WorkerStage.OFFLINE && !kept.containsValue(w.name()))
                    .forEach(w -> available.add(w.name()));
            s.enabledSources().stream().filter(src -> !kept.containsKey(src)).forEach(waiting::add);

            pass(Rule.UNFINISHED_LOAD, (w, src) -> holds(w, src) && mayServe(w, src));
            takeBack();
            pass(Rule.RELAY_LAST_BOUND, (w, src) -> src.equals(relayOf(w)) && src.equals(lastBoundOf(w)));
            pass(Rule.RELAY, (w, src) -> src.equals(relayOf(w)));
            pass(Rule.FREE_LAST_BOUND, (w, src) -> relayOf(w) == null && src.equals(lastBoundOf(w)));
            pass(Rule.ANY_FREE, (w, src) -> relayOf(w) == null);
            return new Plan(List.copyOf(unbind), List.copyOf(moves), List.copyOf(binds), List.copyOf(waiting));
        }

        /** Gives each waiting source (name order) the first available worker (name order) that fits. */
        private void pass(Rule rule, BiPredicate<String, String> fits) {
            for (String source : List.copyOf(waiting)) {
                available.stream().filter(w -> fits.test(w, source)).findFirst().ifPresent(w -> {
                    binds.add(new Bind(source, w, rule));
                    available.remove(w);
                    waiting.remove(source);
                });
            }
        }

        /**
         * DM's online rule 1 for a source that is bound elsewhere: its current worker has no load mark of its
         * own there, so it has not reached the load (it dumps again, or waits) and the returning worker, whose
         * dump is complete enough to be loading, is further ahead. Only on coming online, as in DM: a level
         * rule would undo a deliberate transfer-source.
         */
        private void takeBack() {
            for (String worker : new TreeSet<>(s.justOnline())) {
                if (!available.contains(worker)) {
                    continue;
                }
                for (String source : new TreeSet<>(s.unfinishedLoads().keySet())) {
                    String from = kept.get(source);
                    if (from != null && !from.equals(worker) && holds(worker, source) && !holds(from, source)
                            && mayServe(worker, source)) {
                        moves.add(new Move(source, from, worker));
                        kept.put(source, worker);
                        available.remove(worker);
                        available.add(from);
                        break;
                    }
                }
            }
        }

        private boolean holds(String worker, String source) {
            return s.unfinishedLoads().getOrDefault(source, Set.of()).contains(worker);
        }

        /** A relay worker serves only its relay source; a free worker any. */
        private boolean mayServe(String worker, String source) {
            String relay = relayOf(worker);
            return relay == null || relay.equals(source);
        }

        private String relayOf(String worker) {
            return s.relaySources().get(worker);
        }

        private String lastBoundOf(String worker) {
            SourceBound b = s.lastBounds().get(worker);
            return b == null ? null : b.source();
        }
    }
}
