/**
 * The worker's per-subtask Prometheus series ({@link io.dmjava.worker.metrics.SubTaskMetrics}): task stage,
 * dump and load progress, unit errors. The sync unit registers its own {@code dm_syncer_*} series. Names,
 * labels and encodings are DM's where DM has them; docs/observability.md lists every series.
 */
package io.dmjava.worker.metrics;
