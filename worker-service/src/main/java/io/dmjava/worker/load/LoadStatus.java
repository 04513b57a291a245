package io.dmjava.worker.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Progress of the load unit, with DM's {@code load_status} field names (plus rows).
 *
 * @param finishedBytes  bytes of chunk files imported (committed) so far, resumed runs included
 * @param totalBytes     bytes of all chunk files of the dump
 * @param progress       percentage as text, e.g. {@code "42.10 %"}
 * @param metaBinlog     the dump's binlog position as DM shows it, {@code (mysql-bin.000003, 1234)}
 * @param metaBinlogGtid the dump's GTID set
 * @param finishedRows   rows of the imported chunks
 * @param totalRows      rows of all chunks
 * @param bps            bytes per second imported by this run
 */
public record LoadStatus(
        @JsonProperty("finished_bytes") long finishedBytes,
        @JsonProperty("total_bytes") long totalBytes,
        @JsonProperty("progress") String progress,
        @JsonProperty("meta_binlog") String metaBinlog,
        @JsonProperty("meta_binlog_gtid") String metaBinlogGtid,
        @JsonProperty("finished_rows") long finishedRows,
        @JsonProperty("total_rows") long totalRows,
        @JsonProperty("bps") long bps) {
}
