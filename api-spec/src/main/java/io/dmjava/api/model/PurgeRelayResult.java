package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A worker's answer to an internal purge request: the files it deleted and those it kept because a running
 * subtask still reads them.
 */
public record PurgeRelayResult(@JsonProperty("worker_name") String workerName,
                               List<String> purged,
                               List<String> kept) {
}
