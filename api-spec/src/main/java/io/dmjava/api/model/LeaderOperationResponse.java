package io.dmjava.api.model;

import java.util.List;

/**
 * The answer of {@code POST /api/v1/cluster/leader} (schema {@code LeaderOperationResponse}).
 *
 * @param op      the operation applied
 * @param leader  the leader's name after the operation; empty while a new leader is being elected
 * @param evicted the names of the masters evicted after the operation
 */
public record LeaderOperationResponse(String op, String leader, List<String> evicted) {

    public LeaderOperationResponse {
        evicted = List.copyOf(evicted);
    }
}
