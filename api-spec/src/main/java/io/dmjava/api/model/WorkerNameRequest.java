package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/sources/{source-name}/transfer}: the worker to move the source to. */
public record WorkerNameRequest(@JsonProperty("worker_name") String workerName) {
}
