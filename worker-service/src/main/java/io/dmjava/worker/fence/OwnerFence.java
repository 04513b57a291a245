package io.dmjava.worker.fence;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence of one subtask run on this worker: the lease it started under and its owner token, the etcd
 * revision of the worker's bound (strictly greater for every later binding of the source, to any worker).
 */
public final class OwnerFence implements Fence {
    private static final Logger log = LoggerFactory.getLogger(OwnerFence.class);
    /** How long a blocking transaction of an earlier owner may finish by itself before it is killed. */
    static final Duration KILL_GRACE = Duration.ofSeconds(1);
    /** How long a claim may stay blocked (e.g. without the privilege to find the blocker) before it fails. */
    static final Duration CLAIM_LIMIT = Duration.ofSeconds(120);

    /**
     * @param leaseId the lease the run started under; a new registration means a new run
     * @param ttl     the lease TTL: how long a transaction may wait for a slow proof of the lease
     * @param token   the owner token of this run
     * @param subtask {@code task/source}, for messages
     * @param audit   count committed transactions per token downstream ({@code dm.worker.fence-audit})
     */
    public record Run(long leaseId, Duration ttl, long token, String worker, String subtask, boolean audit) {
    }

    private final LeaseGuard guard;
    private final OwnerTokenStore store;
    private final JdbcConnector db;
    private final Run run;

    public OwnerFence(LeaseGuard guard, OwnerTokenStore store, JdbcConnector db, Run run) {
        this.guard = guard;
        this.store = store;
        this.db = db;
        this.run = run;
    }

    @Override
    public void claim() throws InterruptedException {
        requireLease("before claiming the source downstream");
        try (Connection c = db.open(); Connection side = db.open()) {
            store.ensure(c, run.audit());
            long before = current(c);
            if (before < run.token()) {
                raise(c, side);
            }
            long now = current(c);
            if (now != run.token()) {
                throw new DmException(ErrorCode.WORKER_FENCED, run.subtask(), store.table(), now, run.token());
            }
            log.info("subtask {}: owner token {} holds downstream (was {}); earlier owners can no longer commit",
                    run.subtask(), run.token(), before);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.WORKER_FENCE_CLAIM_FAILED, e, run.subtask(), store.table(), SqlErrors.describe(e));
        }
    }

    @Override
    public void enter(Connection c) throws SQLException {
        try {
            requireLease("before a downstream transaction");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(ErrorCode.WORKER_LEASE_EXPIRED, run.worker(), run.subtask(), "interrupted while waiting");
        } catch (DmException e) {
            rollbackQuietly(c);
            throw e;
        }
        OptionalLong owner = store.read(c);
        if (owner.isEmpty() || owner.getAsLong() != run.token()) {
            rollbackQuietly(c);
            log.warn("subtask {}: fenced: the downstream owner token is {}, this run holds {}; rolling back", run.subtask(),
                    owner.isEmpty() ? "missing" : owner.getAsLong(), run.token());
            throw new DmException(ErrorCode.WORKER_FENCED, run.subtask(), store.table(),
                    owner.isEmpty() ? -1 : owner.getAsLong(), run.token());
        }
        if (run.audit()) {
            store.audit(c, run.token());
        }
    }

    private void requireLease(String when) throws InterruptedException {
        if (!guard.awaitValid(run.leaseId(), run.ttl())) {
            log.warn("subtask {}: fenced {}: lease {} of worker '{}' is {}", run.subtask(), when, Long.toHexString(run.leaseId()),
                    run.worker(), guard.state(run.leaseId()));
            throw new DmException(ErrorCode.WORKER_LEASE_EXPIRED, run.worker(), run.subtask(),
                    "lease " + Long.toHexString(run.leaseId()) + " is " + guard.state(run.leaseId()));
        }
    }

    /**
     * Raises the token on {@code c} while {@code side} watches: a transaction of an earlier owner that blocks the
     * raise for longer than {@link #KILL_GRACE} belongs to a frozen or cut-off process (a live one stops at its
     * next {@link #enter}), so its connection is killed, which rolls it back.
     */
    private void raise(Connection c, Connection side) throws SQLException, InterruptedException {
        long mine = connectionId(c);
        c.setAutoCommit(false);
        FutureTask<Void> raise = new FutureTask<>(() -> {
            store.raise(c, run.token(), run.worker());
            c.commit();
            return null;
        });
        Thread t = new Thread(raise, "fence-claim-" + run.subtask());
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + CLAIM_LIMIT.toNanos();
        boolean reported = false;
        while (true) {
            try {
                raise.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                c.setAutoCommit(true);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException se) {
                    throw se;
                }
                throw new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new DmException(ErrorCode.WORKER_FENCE_CLAIM_FAILED, run.subtask(), store.table(),
                            "still blocked after " + CLAIM_LIMIT.toSeconds() + " s by a transaction of an earlier owner");
                }
                reported = killBlockers(side, mine, reported);
            }
        }
    }

    /** Returns whether the failure to see the blockers has been reported (once is enough). */
    private boolean killBlockers(Connection side, long mine, boolean reported) throws SQLException {
        if (current(side) >= run.token()) {
            return reported; // a newer owner raised it meanwhile: its transactions are not ours to kill
        }
        Set<Long> blockers;
        try {
            blockers = OwnerTokenStore.blockersOf(side, mine);
        } catch (SQLException e) {
            if (!reported) {
                log.error("subtask {}: the claim of owner token {} waits for a transaction of an earlier owner, which"
                        + " cannot be found ({}): grant PROCESS to the target user or KILL it by hand", run.subtask(),
                        run.token(), SqlErrors.describe(e));
            }
            return true;
        }
        for (long id : blockers) {
            log.warn("subtask {}: killing downstream connection {}: its open transaction (an earlier owner's, frozen or"
                    + " cut off) blocks the claim of owner token {}", run.subtask(), id, run.token());
            try (Statement st = side.createStatement()) {
                st.execute("KILL CONNECTION " + id);
            } catch (SQLException e) {
                if (e.getErrorCode() != 1094) { // unknown thread id: it ended meanwhile
                    log.error("subtask {}: cannot kill downstream connection {} ({}); kill it by hand", run.subtask(), id,
                            SqlErrors.describe(e));
                }
            }
        }
        return reported;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // a broken connection rolls back on the server when it closes
        }
    }

    private long current(Connection c) throws SQLException {
        return store.peek(c).orElse(-1);
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
