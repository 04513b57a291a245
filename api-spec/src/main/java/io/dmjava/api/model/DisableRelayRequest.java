package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/sources/{source-name}/relay/disable} (DM's {@code DisableRelayRequest}).
 *
 * @param workerNameList the relay workers to release; empty or absent: the relay of the source stops everywhere
 */
public record DisableRelayRequest(@JsonProperty("worker_name_list") List<String> workerNameList) {
}
