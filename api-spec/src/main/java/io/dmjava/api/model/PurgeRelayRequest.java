package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/sources/{source-name}/relay/purge} (DM's {@code PurgeRelayRequest}).
 *
 * @param relayBinlogName relay files before this one are deleted (never the one being written, never one a
 *                        running subtask still reads)
 * @param relayDir        DM's sub-directory selector; accepted and ignored (one directory per source here)
 */
public record PurgeRelayRequest(@JsonProperty("relay_binlog_name") String relayBinlogName,
                                @JsonProperty("relay_dir") String relayDir) {
}
