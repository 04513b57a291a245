package io.dmjava.worker.fence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What keeps two workers from writing one source's data downstream at once (see docs/ha.md). A subtask run
 * {@link #claim claims} ownership before any unit reads a checkpoint, and every transaction that writes data
 * or checkpoints calls {@link #enter} as its first statement.
 */
public interface Fence {
    /** No fencing: for tools and tests that run a unit outside a worker. */
    Fence NONE = new Fence() {
        @Override
        public void claim() {
        }

        @Override
        public void enter(Connection c) {
        }
    };

    /**
     * Makes this run the owner downstream, before it reads any checkpoint: every transaction of an earlier
     * owner has then either committed already or will fail. Throws
     * {@link io.dmjava.model.error.DmException} when a newer owner exists or the claim cannot be made.
     */
    void claim() throws InterruptedException;

    /**
     * Opens a data transaction on {@code c} (auto-commit off): checks that the worker's lease is proven alive
     * and that this run still owns the source, under a shared lock that a newer owner's claim must wait for.
     * Throws {@link io.dmjava.model.error.DmException} (after which the caller must roll back and stop) when
     * not; SQL errors pass through for the caller's usual retry.
     */
    void enter(Connection c) throws SQLException;
}
