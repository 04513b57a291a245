package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a source runs: its bound worker (empty while it waits for one) and any error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceStatus(@JsonProperty("source_name") String sourceName,
                           @JsonProperty("worker_name") String workerName,
                           @JsonProperty("relay_status") Object relayStatus,
                           @JsonProperty("error_msg") String errorMsg) {
}
