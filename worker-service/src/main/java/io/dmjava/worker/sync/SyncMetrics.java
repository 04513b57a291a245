package io.dmjava.worker.sync;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync unit's Prometheus series, with DM's names: {@code dm_syncer_replication_lag} (seconds),
 * {@code dm_syncer_finished_transaction_total}, {@code dm_syncer_binlog_file}/{@code _pos} for
 * {@code node=master|syncer} and {@code dm_syncer_queue_size}, tagged {@code task} and {@code source_id}.
 * Registered while the unit runs, removed when it returns. Its error counter is the subtask's
 * ({@code SubTaskMetrics}), which knows whether the worker resumes the error by itself.
 */
final class SyncMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    SyncMetrics(MeterRegistry registry, String task, String source, SyncProgress p) {
        this.registry = registry;
        Tags tags = Tags.of("task", task, "source_id", source);
        meters.add(Gauge.builder("dm_syncer_replication_lag", p, SyncProgress::secondsBehindMaster).tags(tags)
                .description("seconds the applied changes lag behind the upstream").register(registry));
        meters.add(FunctionCounter.builder("dm_syncer_finished_transaction", p.apply, a -> a.transactions()).tags(tags)
                .description("downstream transactions committed by the sync unit").register(registry));
        meters.add(Gauge.builder("dm_syncer_queue_size", p, q -> q.pending).tags(tags)
                .description("row changes waiting in the apply queues").register(registry));
        meters.add(Gauge.builder("dm_syncer_binlog_file", p, q -> q.master.fileSequence()).tags(tags.and("node", "master"))
                .description("binlog file number").register(registry));
        meters.add(Gauge.builder("dm_syncer_binlog_pos", p, q -> q.master.pos()).tags(tags.and("node", "master"))
                .description("binlog position").register(registry));
        meters.add(Gauge.builder("dm_syncer_binlog_file", p, q -> q.syncer.fileSequence()).tags(tags.and("node", "syncer"))
                .description("binlog file number").register(registry));
        meters.add(Gauge.builder("dm_syncer_binlog_pos", p, q -> q.syncer.pos()).tags(tags.and("node", "syncer"))
                .description("binlog position").register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
