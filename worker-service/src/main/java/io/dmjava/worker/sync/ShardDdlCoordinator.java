package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One subtask's side of pessimistic shard-DDL coordination (DM's worker-side {@code pessimism} client): tell the
 * leader that this source waits at a DDL of a merged table, wait for its answer (run the DDL, or pass it because the
 * lock's owner ran it), and say when the checkpoint is past it. See docs/shard-ddl.md.
 */
public interface ShardDdlCoordinator {
    /**
     * Publishes {@code info} and waits until the leader answers it. Empty when {@code stop} turned true first (the
     * event is read again after the resume and the same info published again, which the leader takes as the same).
     */
    Optional<PessimismOperation> await(PessimismInfo info, BooleanSupplier stop) throws InterruptedException;

    /** The checkpoint is past the DDL that {@code op} answered: the leader may let the next source go or end the lock. */
    void done(PessimismOperation op, BooleanSupplier stop) throws InterruptedException;

    /**
     * At the start of a run: an answered operation whose DDL ({@link PessimismInfo#binlogPos()}) the checkpoint is
     * already past is marked done (the previous run died between its checkpoint and {@link #done}).
     */
    void settle(Predicate<String> passed);

    /** Creates the coordinator of one subtask. */
    interface Factory {
        ShardDdlCoordinator forSubtask(String task, String source);

        /** For units run without a cluster (tests, tools): a task in pessimistic shard mode fails at its first shard DDL. */
        Factory NONE = (task, source) -> new ShardDdlCoordinator() {
            @Override
            public Optional<PessimismOperation> await(PessimismInfo info, BooleanSupplier stop) {
                throw new DmException(ErrorCode.SHARD_DDL_UNSUPPORTED, info.binlogPos(),
                        "this sync unit runs without a cluster to coordinate shard DDL with");
            }

            @Override
            public void done(PessimismOperation op, BooleanSupplier stop) {
                // never awaited
            }

            @Override
            public void settle(Predicate<String> passed) {
                // nothing stored
            }
        };
    }
}
