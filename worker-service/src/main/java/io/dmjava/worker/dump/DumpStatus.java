package io.dmjava.worker.dump;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Progress of the dump unit, with DM's {@code dump_status} field names.
 *
 * @param totalTables       tables selected for the dump
 * @param completedTables   tables whose every chunk is written
 * @param finishedBytes     bytes written to chunk files
 * @param finishedRows      rows written to chunk files
 * @param estimateTotalRows rows expected (statistics; at least {@code finishedRows})
 * @param progress          percentage as text, e.g. {@code "42.10 %"}
 * @param bps               average bytes per second since the dump started
 */
public record DumpStatus(
        @JsonProperty("total_tables") long totalTables,
        @JsonProperty("completed_tables") double completedTables,
        @JsonProperty("finished_bytes") double finishedBytes,
        @JsonProperty("finished_rows") double finishedRows,
        @JsonProperty("estimate_total_rows") double estimateTotalRows,
        @JsonProperty("progress") String progress,
        @JsonProperty("bps") long bps) {
}
