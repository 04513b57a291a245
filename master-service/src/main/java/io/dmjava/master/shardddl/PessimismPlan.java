package io.dmjava.master.shardddl;

import io.dmjava.model.shardddl.PessimismOperation;
import java.util.List;
import java.util.Set;

/**
 * What the leader's pessimist does in one round, decided by {@link PessimismPlanner} from one read of etcd. Every
 * change names the values it was decided on, so applying it is a guarded transaction that does nothing when a worker
 * changed a key in between (the next round decides again).
 *
 * @param writes   operations to put or delete, one transaction each
 * @param removals keys to delete, each group in one transaction (a finished lock's infos and operations together)
 * @param locks    every lock still in progress, for the metric and the logs
 */
public record PessimismPlan(List<OpWrite> writes, List<Removal> removals, List<LockState> locks) {

    public boolean isEmpty() {
        return writes.isEmpty() && removals.isEmpty();
    }

    /**
     * Puts {@code put} (or deletes the operation when it is null) for one source, only if the operation is still
     * {@code expectedOp} (null: absent) and, unless {@code expectedInfo} is null, the source's info is still that one.
     */
    public record OpWrite(String task, String source, PessimismOperation put, byte[] expectedOp, byte[] expectedInfo,
                          String why) {
    }

    /** Which family a removed key belongs to. */
    public enum Kind { INFO, OPERATION }

    /** One key to delete, only if its value is still {@code raw}. */
    public record Delete(Kind kind, String task, String source, byte[] raw) {
    }

    /** Keys deleted together in one transaction, all or none. */
    public record Removal(List<Delete> deletes, String why) {
    }

    /** DM's lock states, with the names the metric's {@code type} label uses. */
    public enum Status {
        UNSYNCED("Un-synced"), SYNCED("Synced");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A lock in progress: {@code UNSYNCED} while some expected source has not arrived with the lock's statements,
     * {@code SYNCED} once all have and not all are done.
     */
    public record LockState(String task, String lockId, String owner, List<String> ddls, Status status,
                            Set<String> waitingFor, Set<String> conflicting) {
    }
}
