package io.dmjava.worker.metrics;

import io.dmjava.model.cluster.Stage;
import io.dmjava.worker.unit.Unit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A worker's per-subtask series, with DM's names where DM has one: {@code dm_worker_task_state} (DM's stage
 * numbers), the dump's and the load's progress, and the units' {@code exit_with_error} counters, all tagged
 * {@code task} and {@code source_id}. A subtask's series exist from the start of its first run on this worker
 * until it is removed from the worker; a new run (resume, new generation) re-points the gauges to its units.
 * The counters start at 0 so that Prometheus sees the first error as an increase.
 */
public final class SubTaskMetrics {
    /** The error counter of each unit type, as DM names them. */
    private static final Map<String, String> EXIT_COUNTERS = Map.of(
            "dump", "dm_dumpling_exit_with_error_count",
            "load", "dm_loader_exit_with_error_count",
            "sync", "dm_syncer_exit_with_error_count");

    private record Spec(String name, String help, ToDoubleFunction<UnitProgress> value) {
    }

    private static final Map<String, List<Spec>> PROGRESS = Map.of(
            "dump", List.of(
                    new Spec("dumpling_dump_finished_rows", "rows written by the dump", UnitProgress::finishedRows),
                    new Spec("dumpling_dump_estimate_total_rows", "rows the dump expects (table statistics)", UnitProgress::totalRows),
                    new Spec("dumpling_dump_finished_size", "bytes written by the dump", UnitProgress::finishedBytes),
                    new Spec("dumpling_dump_finished_tables", "tables completely dumped", UnitProgress::finishedTables),
                    new Spec("dm_dumpling_total_tables", "tables selected for the dump", UnitProgress::totalTables),
                    new Spec("dm_dumpling_finished_chunks", "chunk files completely written", UnitProgress::finishedChunks),
                    new Spec("dm_dumpling_total_chunks", "chunk files planned", UnitProgress::totalChunks)),
            "load", List.of(
                    new Spec("dm_loader_progress", "fraction of the dump's bytes imported (1 when the load finished)", UnitProgress::byteFraction),
                    new Spec("dm_loader_data_size_gauge", "bytes of the dump's chunk files", UnitProgress::totalBytes),
                    new Spec("dm_loader_data_file_gauge", "chunk files of the dump", UnitProgress::totalChunks),
                    new Spec("dm_loader_finished_bytes", "bytes imported", UnitProgress::finishedBytes),
                    new Spec("dm_loader_finished_rows", "rows imported", UnitProgress::finishedRows),
                    new Spec("dm_loader_total_rows", "rows of the dump's chunk files", UnitProgress::totalRows),
                    new Spec("dm_loader_finished_chunks", "chunk files imported", UnitProgress::finishedChunks)));

    private final MeterRegistry registry;
    private final String worker;
    /** task/source -> the gauges of its current run, and its counters. */
    private final Map<String, List<Meter>> gauges = new HashMap<>();
    private final Map<String, List<Meter>> counters = new HashMap<>();

    public SubTaskMetrics(MeterRegistry registry, String worker) {
        this.registry = registry;
        this.worker = worker;
    }

    /** A run of the subtask starts on this worker: export its stage and its units' progress from now on. */
    public synchronized void track(String task, String source, Supplier<Stage> stage, List<? extends Unit> units) {
        String key = key(task, source);
        removeAll(gauges.remove(key));
        Tags tags = Tags.of("task", task, "source_id", source);
        List<Meter> runGauges = new ArrayList<>();
        runGauges.add(Gauge.builder("dm_worker_task_state", stage, s -> dmStage(s.get())).tags(tags.and("worker", worker))
                .description("state of the subtask: 0 invalid, 1 New, 2 Running, 3 Paused, 4 Stopped, 5 Finished")
                .strongReference(true).register(registry));
        List<Meter> taskCounters = counters.computeIfAbsent(key, k -> new ArrayList<>());
        for (Unit u : units) {
            if (u.unwrapped() instanceof ProgressReporting p) {
                for (Spec s : PROGRESS.getOrDefault(u.type(), List.of())) {
                    runGauges.add(Gauge.builder(s.name(), p, r -> s.value().applyAsDouble(r.progress())).tags(tags)
                            .description(s.help()).strongReference(true).register(registry));
                }
            }
            String counter = EXIT_COUNTERS.get(u.type());
            if (counter != null) {
                for (boolean resumable : new boolean[] {false, true}) {
                    Counter c = exitCounter(counter, tags, resumable);
                    if (!taskCounters.contains(c)) {
                        taskCounters.add(c);
                    }
                }
            }
        }
        gauges.put(key, runGauges);
    }

    /**
     * A unit of the subtask stopped with an error, pausing the subtask. {@code resumable}: the worker resumes it by
     * itself (a transient error, see docs/ha.md), which DM's alert tolerates a few times; the others need a person.
     */
    public void unitFailed(String task, String source, String unitType, boolean resumable) {
        if (EXIT_COUNTERS.containsKey(unitType)) {
            exitCounter(EXIT_COUNTERS.get(unitType), Tags.of("task", task, "source_id", source), resumable).increment();
        }
    }

    /** The subtask was removed from this worker: all its series go. */
    public synchronized void forget(String task, String source) {
        String key = key(task, source);
        removeAll(gauges.remove(key));
        removeAll(counters.remove(key));
    }

    /** DM's numbering: 0 InvalidStage, 1 New, 2 Running, 3 Paused, 4 Stopped, 5 Finished. */
    static int dmStage(Stage s) {
        if (s == null) {
            return 0;
        }
        return switch (s) {
            case New -> 1;
            case Running -> 2;
            case Paused -> 3;
            case Stopped -> 4;
            case Finished -> 5;
        };
    }

    private Counter exitCounter(String name, Tags tags, boolean resumable) {
        return Counter.builder(name).tags(tags.and("resumable_err", String.valueOf(resumable)))
                .description("times the unit stopped with an error (resumable_err: the worker resumes it by itself)")
                .register(registry);
    }

    private void removeAll(List<Meter> meters) {
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private static String key(String task, String source) {
        return task + "\u0000" + source;
    }
}
