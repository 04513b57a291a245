package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A worker of the cluster (schema {@code ClusterWorker}).
 *
 * @param name            the worker's name
 * @param addr            the worker's advertised address (host:port)
 * @param boundStage      {@code offline}, {@code free}, {@code bound} or {@code relay}
 * @param boundSourceName the source the worker serves; empty when it serves none
 */
public record ClusterWorker(
        String name,
        String addr,
        @JsonProperty("bound_stage") String boundStage,
        @JsonProperty("bound_source_name") String boundSourceName) {
}
