package io.dmjava.model.shardddl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The leader's answer to one source of a pessimistic shard-DDL lock
 * ({@code /dm/shardddl/pessimism/operation/{task}/{source}}, DM's {@code pessimism.Operation}): run the DDL
 * downstream ({@code exec}, the lock's owner only, once every source has arrived) or pass it without running it
 * (the others, once the owner is done). The worker writes the same record back with {@code done} set once its
 * checkpoint is past the DDL; the leader removes the lock when every source is done.
 *
 * @param lockId   the lock ({@link PessimismInfo#lockId()})
 * @param task     the task
 * @param source   the source this operation is for
 * @param ddls     the lock's statements (a worker acts only on an operation for the statements it waits at)
 * @param exec     true: run the statements downstream; false: skip them (the owner ran them)
 * @param done     set by the worker when it is past the DDL
 * @param conflict not null when this source's statements differ from the lock's: the worker pauses with it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PessimismOperation(
        @JsonProperty("lock_id") String lockId,
        @JsonProperty("task") String task,
        @JsonProperty("source") String source,
        @JsonProperty("ddls") List<String> ddls,
        @JsonProperty("exec") boolean exec,
        @JsonProperty("done") boolean done,
        @JsonProperty("conflict") String conflict) {

    public PessimismOperation {
        Objects.requireNonNull(lockId, "lockId");
        ddls = List.copyOf(ddls);
    }

    public PessimismOperation markDone() {
        return new PessimismOperation(lockId, task, source, ddls, exec, true, conflict);
    }

    /** Whether this is the (not yet done) answer to {@code info}. */
    public boolean answers(PessimismInfo info) {
        return !done && lockId.equals(info.lockId()) && ddls.equals(info.ddls());
    }
}
