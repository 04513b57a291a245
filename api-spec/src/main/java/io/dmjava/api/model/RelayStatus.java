package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The relay of a source on one worker, in DM's shape ({@code SourceStatus.relay_status}).
 *
 * @param masterBinlog       the upstream's current binlog position, {@code (file, pos)}
 * @param masterBinlogGtid   the upstream's executed GTID set
 * @param relayDir           the directory the relay files are in
 * @param relayBinlog        the relay's flushed position, {@code (file, pos)}: every event before it is on disk
 * @param relayBinlogGtid    the GTID set the relay holds up to {@code relayBinlog}
 * @param relayCatchUpMaster whether the relay holds everything the upstream has logged
 * @param stage              {@code Running}, {@code Paused} (stopped by an error, see {@code errorMsg}) or {@code Stopped}
 * @param errorMsg           the last error, while the relay retries or after it gave up
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RelayStatus(@JsonProperty("master_binlog") String masterBinlog,
                          @JsonProperty("master_binlog_gtid") String masterBinlogGtid,
                          @JsonProperty("relay_dir") String relayDir,
                          @JsonProperty("relay_binlog") String relayBinlog,
                          @JsonProperty("relay_binlog_gtid") String relayBinlogGtid,
                          @JsonProperty("relay_catch_up_master") boolean relayCatchUpMaster,
                          String stage,
                          @JsonProperty("error_msg") String errorMsg) {
}
