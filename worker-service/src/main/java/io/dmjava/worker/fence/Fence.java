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

        @Override
        public void ddl(Connection c, SqlWork work) throws SQLException {
            work.run();
        }
    };

    /** Statements that commit by themselves (DDL), run under {@link #ddl}. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

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

    /**
     * Runs {@code work}, statements on {@code c} (auto-commit) that commit by themselves and so cannot be inside
     * a transaction opened by {@link #enter}: DDL and the schema tracker's shadow tables. It runs while {@code c}
     * holds the subtask's downstream DDL lock and after this run was found, under that lock, to still own the
     * source; a newer owner's {@link #claim} takes the same lock, killing {@code c} if it holds it, so the work
     * either ends before the claim or fails. The lock is released when this returns or throws. Throws
     * {@link io.dmjava.model.error.DmException} when this run does not own the source or the lock cannot be
     * taken; the work's own SQL errors pass through.
     */
    void ddl(Connection c, SqlWork work) throws SQLException;
}
