package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/v1/cluster/leader} (schema {@code LeaderOperationRequest}), modelled on
 * dmctl's {@code operate-leader evict|cancel-evict}.
 *
 * @param op         {@code evict} or {@code cancel-evict}
 * @param masterName for {@code cancel-evict}, the master whose eviction to cancel; {@code null} means all
 */
public record LeaderOperationRequest(String op, @JsonProperty("master_name") String masterName) {

    /** The {@code op} evicting the current leader. */
    public static final String EVICT = "evict";
    /** The {@code op} cancelling an eviction. */
    public static final String CANCEL_EVICT = "cancel-evict";
}
