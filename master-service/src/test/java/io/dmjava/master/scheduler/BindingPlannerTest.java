package io.dmjava.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.master.scheduler.BindingPlanner.Bind;
import io.dmjava.master.scheduler.BindingPlanner.Move;
import io.dmjava.master.scheduler.BindingPlanner.Plan;
import io.dmjava.master.scheduler.BindingPlanner.Rule;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** One test per scheduling rule of docs/scheduling.md (DM's rules), plus the housekeeping ones. */
class BindingPlannerTest {

    /** A cluster snapshot built fluently: the worker's stage follows from its bound, relay source and liveness. */
    private static final class Cluster {
        private final List<WorkerStatus> workers = new ArrayList<>();
        private final Map<String, SourceBound> bounds = new HashMap<>();
        private final Map<String, SourceBound> lastBounds = new HashMap<>();
        private final Map<String, String> relays = new HashMap<>();
        private final Map<String, Set<String>> loads = new HashMap<>();
        private final Set<String> sources = new TreeSet<>();
        private final Set<String> justOnline = new HashSet<>();

        Cluster sources(String... names) {
            sources.addAll(List.of(names));
            return this;
        }

        Cluster free(String name) {
            return worker(name, WorkerStage.FREE);
        }

        Cluster offline(String name) {
            return worker(name, WorkerStage.OFFLINE);
        }

        Cluster returning(String name) {
            justOnline.add(name);
            return free(name);
        }

        Cluster worker(String name, WorkerStage stage) {
            String source = bounds.containsKey(name) ? bounds.get(name).source() : relays.getOrDefault(name, "");
            workers.add(new WorkerStatus(name, "127.0.0.1:1", stage, source));
            return this;
        }

        /** Declare before the worker itself, so that its stage shows the source. */
        Cluster bound(String worker, String source) {
            bounds.put(worker, new SourceBound(source, worker));
            return lastBound(worker, source);
        }

        Cluster lastBound(String worker, String source) {
            lastBounds.put(worker, new SourceBound(source, worker));
            return this;
        }

        Cluster relay(String worker, String source) {
            relays.put(worker, source);
            return this;
        }

        Cluster load(String worker, String source) {
            loads.computeIfAbsent(source, s -> new TreeSet<>()).add(worker);
            return this;
        }

        Plan plan() {
            return new BindingPlanner().plan(new BindingPlanner.Snapshot(workers, bounds, lastBounds, relays, loads,
                    sources, justOnline));
        }
    }

    /** s1 was on "lost", which went offline: the tests below differ only in the candidates. */
    private static Cluster lostWorkerOf(String source) {
        return new Cluster().sources(source).bound("lost", source).offline("lost");
    }

    // Worker keepalive expires: the source is unbound and rebound by this priority.

    @Test
    void offlineRule1_theWorkerHoldingAnUnfinishedLoadOfTheSource() {
        Plan p = lostWorkerOf("s1").relay("r", "s1").lastBound("r", "s1").worker("r", WorkerStage.RELAY)
                .lastBound("f", "s1").free("f").free("loader").load("loader", "s1").plan();
        assertThat(p.unbind()).containsExactly("lost");
        assertThat(p.bind()).containsExactly(new Bind("s1", "loader", Rule.UNFINISHED_LOAD));
    }

    @Test
    void offlineRule2_aRelayWorkerOfTheSourceThatWasBoundToItBefore() {
        Plan p = lostWorkerOf("s1").relay("a-relay", "s1").worker("a-relay", WorkerStage.RELAY)
                .relay("b-relay", "s1").lastBound("b-relay", "s1").worker("b-relay", WorkerStage.RELAY)
                .lastBound("f", "s1").free("f").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "b-relay", Rule.RELAY_LAST_BOUND));
    }

    @Test
    void offlineRule3_anyRelayWorkerOfTheSource() {
        Plan p = lostWorkerOf("s1").relay("r", "s1").worker("r", WorkerStage.RELAY).lastBound("f", "s1").free("f").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "r", Rule.RELAY));
    }

    @Test
    void offlineRule4_aFreeWorkerLastBoundToTheSource() {
        Plan p = lostWorkerOf("s1").free("a").lastBound("b", "s1").free("b").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "b", Rule.FREE_LAST_BOUND));
    }

    @Test
    void offlineRule5_anyFreeWorkerInNameOrder() {
        Plan p = lostWorkerOf("s1").free("c").free("b").offline("a").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "b", Rule.ANY_FREE));
    }

    @Test
    void offlineNoFreeWorker_theSourceWaits() {
        Plan p = lostWorkerOf("s1").bound("busy", "s2").worker("busy", WorkerStage.BOUND).sources("s2")
                .relay("r", "s3").worker("r", WorkerStage.RELAY).plan();
        assertThat(p.unbind()).containsExactly("lost");
        assertThat(p.bind()).isEmpty();
        assertThat(p.waiting()).containsExactly("s1");
    }

    @Test
    void offlineNoFreeWorker_aWorkerThatRegistersLaterGetsTheWaitingSource() {
        Plan p = new Cluster().sources("s1").bound("busy", "s2").worker("busy", WorkerStage.BOUND).sources("s2")
                .returning("new").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "new", Rule.ANY_FREE));
        assertThat(p.waiting()).isEmpty();
    }

    // A worker comes online: it takes a source by this priority.

    @Test
    void onlineRule1_anUnboundSourceWithItsUnfinishedLoad() {
        Plan p = new Cluster().sources("s1", "s2", "s3").lastBound("w", "s2").load("w", "s3").returning("w").plan();
        assertThat(p.bind()).containsExactly(new Bind("s3", "w", Rule.UNFINISHED_LOAD));
    }

    @Test
    void onlineRule1_takesBackASourceWhoseOtherWorkerHasNotStartedTheLoad() {
        Plan p = new Cluster().sources("s1").bound("other", "s1").worker("other", WorkerStage.BOUND)
                .load("w", "s1").returning("w").plan();
        assertThat(p.moves()).containsExactly(new Move("s1", "other", "w"));
        assertThat(p.bind()).isEmpty();
    }

    @Test
    void onlineRule1_noTakeBackOnceTheOtherWorkerLoadsTooOrWhenTheWorkerDidNotJustComeBack() {
        Plan loading = new Cluster().sources("s1").bound("other", "s1").worker("other", WorkerStage.BOUND)
                .load("w", "s1").load("other", "s1").returning("w").plan();
        assertThat(loading.isEmpty()).isTrue();
        // A free worker that has been online all along: the source was moved on purpose (transfer-source).
        Plan settled = new Cluster().sources("s1").bound("other", "s1").worker("other", WorkerStage.BOUND)
                .load("w", "s1").free("w").plan();
        assertThat(settled.isEmpty()).isTrue();
    }

    @Test
    void onlineRule1_theWorkerLeftByATakeBackServesAWaitingSource() {
        Plan p = new Cluster().sources("s1", "s2").bound("other", "s1").worker("other", WorkerStage.BOUND)
                .load("w", "s1").returning("w").plan();
        assertThat(p.moves()).containsExactly(new Move("s1", "other", "w"));
        assertThat(p.bind()).containsExactly(new Bind("s2", "other", Rule.ANY_FREE));
    }

    @Test
    void onlineRule2_itsLastBoundSourceIfUnbound() {
        Plan p = new Cluster().sources("s1", "s2").lastBound("w", "s2").returning("w").plan();
        assertThat(p.bind()).containsExactly(new Bind("s2", "w", Rule.FREE_LAST_BOUND));
    }

    @Test
    void onlineRule2_notItsLastBoundSourceOnceAnotherWorkerServesIt() {
        Plan p = new Cluster().sources("s1", "s2").bound("other", "s2").worker("other", WorkerStage.BOUND)
                .lastBound("w", "s2").returning("w").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "w", Rule.ANY_FREE));
    }

    @Test
    void onlineRule3_itsRelaySource() {
        Plan p = new Cluster().sources("s1", "s2").relay("w", "s2").lastBound("w", "s1").worker("w", WorkerStage.RELAY).plan();
        assertThat(p.bind()).containsExactly(new Bind("s2", "w", Rule.RELAY));
    }

    @Test
    void onlineRule4_anyUnboundSourceInNameOrder() {
        Plan p = new Cluster().sources("s2", "s1").returning("w").plan();
        assertThat(p.bind()).containsExactly(new Bind("s1", "w", Rule.ANY_FREE));
        assertThat(p.waiting()).containsExactly("s2");
    }

    @Test
    void relayWorkerIsNeverGivenAnotherSource() {
        Plan p = new Cluster().sources("s1", "s2").bound("other", "s2").worker("other", WorkerStage.BOUND)
                .relay("r", "s2").lastBound("r", "s1").load("r", "s1").worker("r", WorkerStage.RELAY).plan();
        assertThat(p.bind()).isEmpty();
        assertThat(p.waiting()).containsExactly("s1");
    }

    // Housekeeping.

    @Test
    void disabledOrDeletedSourcesAreUnboundAndTheirWorkerServesAnother() {
        Plan p = new Cluster().sources("s1").bound("a", "old").worker("a", WorkerStage.BOUND).plan();
        assertThat(p.unbind()).containsExactly("a");
        assertThat(p.bind()).containsExactly(new Bind("s1", "a", Rule.ANY_FREE));
    }

    @Test
    void healthyBoundsAreLeftAlone() {
        Plan p = new Cluster().sources("s1").bound("a", "s1").worker("a", WorkerStage.BOUND).free("b").load("b", "s1").plan();
        assertThat(p.isEmpty()).isTrue();
    }
}
