package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.model.source.SourceConfig;

/** {@code POST /api/v1/sources}: the source, and optionally the worker to bind it to. */
public record CreateSourceRequest(SourceConfig source, @JsonProperty("worker_name") String workerName) {
}
