package io.dmjava.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.cluster.Stage;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-subtask series as Prometheus scrapes them: names, labels, DM's encodings, and their lifetime. */
class SubTaskMetricsTest {
    /** A dump or load unit with fixed progress. */
    private record FakeUnit(String type, UnitProgress progress) implements Unit, ProgressReporting {
        @Override
        public void run(UnitContext ctx) {
        }

        @Override
        public Object status() {
            return null;
        }
    }

    /** A unit without progress (the sync unit registers its own series). */
    private record PlainUnit(String type) implements Unit {
        @Override
        public void run(UnitContext ctx) {
        }

        @Override
        public Object status() {
            return null;
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SubTaskMetrics metrics = new SubTaskMetrics(registry, "w1");

    private static final String T = "{source_id=\"s1\",task=\"t1\"}";
    private static final String PERMANENT = "{resumable_err=\"false\",source_id=\"s1\",task=\"t1\"}";
    private static final String TRANSIENT = "{resumable_err=\"true\",source_id=\"s1\",task=\"t1\"}";

    @Test
    void stageProgressAndErrorCountersAreExportedWithDmNamesAndEncodings() {
        AtomicReference<Stage> stage = new AtomicReference<>(Stage.Running);
        FakeUnit dump = new FakeUnit("dump", new UnitProgress(500, 1000, 4096, -1, 3, 10, 1, 4, false));
        FakeUnit load = new FakeUnit("load", new UnitProgress(200, 500, 1024, 4096, 1, 3, -1, -1, false));
        metrics.track("t1", "s1", stage::get, List.of(dump, load, new PlainUnit("sync")));

        String scrape = registry.scrape();
        assertThat(scrape).contains("dm_worker_task_state{source_id=\"s1\",task=\"t1\",worker=\"w1\"} 2.0");
        assertThat(scrape).contains("dumpling_dump_finished_rows" + T + " 500.0", "dumpling_dump_estimate_total_rows" + T + " 1000.0",
                "dumpling_dump_finished_size" + T + " 4096.0", "dumpling_dump_finished_tables" + T + " 1.0",
                "dm_dumpling_total_tables" + T + " 4.0", "dm_dumpling_finished_chunks" + T + " 3.0",
                "dm_dumpling_total_chunks" + T + " 10.0");
        assertThat(scrape).contains("dm_loader_progress" + T + " 0.25", "dm_loader_data_size_gauge" + T + " 4096.0",
                "dm_loader_data_file_gauge" + T + " 3.0", "dm_loader_finished_bytes" + T + " 1024.0",
                "dm_loader_finished_rows" + T + " 200.0", "dm_loader_total_rows" + T + " 500.0",
                "dm_loader_finished_chunks" + T + " 1.0");
        assertThat(scrape).as("error counters exist at 0 before any error, so the first one is an increase")
                .contains("dm_dumpling_exit_with_error_count_total" + PERMANENT + " 0.0",
                        "dm_loader_exit_with_error_count_total" + PERMANENT + " 0.0",
                        "dm_syncer_exit_with_error_count_total" + PERMANENT + " 0.0",
                        "dm_dumpling_exit_with_error_count_total" + TRANSIENT + " 0.0",
                        "dm_loader_exit_with_error_count_total" + TRANSIENT + " 0.0",
                        "dm_syncer_exit_with_error_count_total" + TRANSIENT + " 0.0");

        stage.set(Stage.Paused);
        metrics.unitFailed("t1", "s1", "load", false);
        metrics.unitFailed("t1", "s1", "sync", true);
        metrics.unitFailed("t1", "s1", "sync", true);
        scrape = registry.scrape();
        assertThat(scrape).contains("dm_worker_task_state{source_id=\"s1\",task=\"t1\",worker=\"w1\"} 3.0",
                "dm_loader_exit_with_error_count_total" + PERMANENT + " 1.0",
                "dm_loader_exit_with_error_count_total" + TRANSIENT + " 0.0",
                "dm_syncer_exit_with_error_count_total" + TRANSIENT + " 2.0",
                "dm_syncer_exit_with_error_count_total" + PERMANENT + " 0.0",
                "dm_dumpling_exit_with_error_count_total" + PERMANENT + " 0.0");
    }

    @Test
    void aNewRunRepointsTheGaugesKeepsTheCountersAndRemovalDropsEverything() {
        metrics.track("t1", "s1", () -> Stage.Paused,
                List.of(new FakeUnit("load", new UnitProgress(1, 2, 1, 2, 1, 2, -1, -1, false))));
        metrics.unitFailed("t1", "s1", "load", false);
        metrics.track("t2", "s1", () -> Stage.Running, List.of(new PlainUnit("sync")));
        metrics.track("t1", "s1", () -> Stage.Finished,
                List.of(new FakeUnit("load", new UnitProgress(2, 2, 2, 2, 2, 2, -1, -1, true))));

        String scrape = registry.scrape();
        assertThat(scrape).contains("dm_worker_task_state{source_id=\"s1\",task=\"t1\",worker=\"w1\"} 5.0",
                "dm_loader_progress" + T + " 1.0", "dm_loader_exit_with_error_count_total" + PERMANENT + " 1.0");

        metrics.forget("t1", "s1");
        scrape = registry.scrape();
        assertThat(scrape).doesNotContain("task=\"t1\"");
        assertThat(scrape).contains("dm_worker_task_state{source_id=\"s1\",task=\"t2\",worker=\"w1\"} 2.0");
    }

    @Test
    void stagesUseDmNumbers() {
        assertThat(List.of(Stage.New, Stage.Running, Stage.Paused, Stage.Stopped, Stage.Finished))
                .extracting(SubTaskMetrics::dmStage).containsExactly(1, 2, 3, 4, 5);
        assertThat(SubTaskMetrics.dmStage(null)).isZero();
    }
}
