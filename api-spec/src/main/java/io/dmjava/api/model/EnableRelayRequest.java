package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/sources/{source-name}/relay/enable} (DM's {@code EnableRelayRequest}); every field optional.
 *
 * @param workerNameList  workers that pull the relay log besides the bound one; they become the source's relay
 *                        workers, preferred when the source has to move
 * @param relayBinlogName the upstream file the relay starts at (from its beginning) when it has no files yet
 * @param relayBinlogGtid the GTID set to start after, when it has no files yet: the relay starts at the
 *                        beginning of the upstream file that holds the next transaction
 * @param relayDir        the directory of the relay files (relative: under the worker's data dir)
 */
public record EnableRelayRequest(@JsonProperty("worker_name_list") List<String> workerNameList,
                                 @JsonProperty("relay_binlog_name") String relayBinlogName,
                                 @JsonProperty("relay_binlog_gtid") String relayBinlogGtid,
                                 @JsonProperty("relay_dir") String relayDir) {
}
