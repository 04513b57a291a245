package io.dmjava.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.WorkerStage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BindingPlannerTest {
    private final BindingPlanner planner = new BindingPlanner();

    private static WorkerStatus w(String name, WorkerStage stage, String source) {
        return new WorkerStatus(name, "127.0.0.1:1", stage, source);
    }

    @Test
    void anUnboundSourceGoesToTheFreeWorkerItWasLastBoundTo() {
        var plan = planner.plan(List.of(w("a", WorkerStage.FREE, ""), w("b", WorkerStage.FREE, "")), Map.of(),
                Map.of("b", new SourceBound("s1", "b")), Set.of("s1"));
        assertThat(plan.bind()).containsExactly(new SourceBound("s1", "b"));
        assertThat(plan.unbind()).isEmpty();
    }

    @Test
    void otherwiseToAnyFreeWorkerInNameOrderAndNeverToAnOfflineOne() {
        var plan = planner.plan(List.of(w("c", WorkerStage.FREE, ""), w("a", WorkerStage.OFFLINE, ""), w("b", WorkerStage.FREE, "")),
                Map.of(), Map.of(), Set.of("s1", "s2", "s3"));
        assertThat(plan.bind()).containsExactly(new SourceBound("s1", "b"), new SourceBound("s2", "c"));
    }

    @Test
    void aBoundOnAnOfflineWorkerIsDroppedAndTheSourceMovesToAFreeOne() {
        var plan = planner.plan(List.of(w("a", WorkerStage.OFFLINE, ""), w("b", WorkerStage.FREE, "")),
                Map.of("a", new SourceBound("s1", "a")), Map.of("a", new SourceBound("s1", "a")), Set.of("s1"));
        assertThat(plan.unbind()).containsExactly("a");
        assertThat(plan.bind()).containsExactly(new SourceBound("s1", "b"));
    }

    @Test
    void disabledOrDeletedSourcesAreUnboundAndTheirWorkerServesAnother() {
        var plan = planner.plan(List.of(w("a", WorkerStage.BOUND, "old")), Map.of("a", new SourceBound("old", "a")),
                Map.of(), Set.of("s1"));
        assertThat(plan.unbind()).containsExactly("a");
        assertThat(plan.bind()).containsExactly(new SourceBound("s1", "a"));
    }

    @Test
    void aFreeWorkerIsKeptForTheWaitingSourceItLastServed() {
        var plan = planner.plan(List.of(w("a", WorkerStage.FREE, "")), Map.of(),
                Map.of("a", new SourceBound("s2", "a")), Set.of("s1", "s2"));
        assertThat(plan.bind()).containsExactly(new SourceBound("s2", "a"));
    }

    @Test
    void healthyBoundsAreLeftAlone() {
        var plan = planner.plan(List.of(w("a", WorkerStage.BOUND, "s1")), Map.of("a", new SourceBound("s1", "a")),
                Map.of("a", new SourceBound("s1", "a")), Set.of("s1"));
        assertThat(plan.isEmpty()).isTrue();
    }
}
