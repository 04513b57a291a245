package io.dmjava.worker.fence;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import java.sql.Connection;
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
     * How long a DDL may wait for the DDL lock. An owner's DDLs run one at a time, a claim holds the lock only for an
     * instant, and a waiting DDL of an earlier owner is fenced as soon as it sees the new token: a wait this long
     * means a foreign holder.
     */
    static final Duration DDL_LOCK_LIMIT = Duration.ofSeconds(60);
    /** One GET_LOCK wait of a DDL; between two, the DDL looks whether the token moved (then it is fenced at once). */
    private static final Duration DDL_LOCK_STEP = Duration.ofSeconds(1);

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
    private final DdlLock lock;
    private final Duration ddlLockLimit;

    public OwnerFence(LeaseGuard guard, OwnerTokenStore store, JdbcConnector db, Run run) {
        this(guard, store, db, run, DDL_LOCK_LIMIT);
    }

    /** @param ddlLockLimit how long a DDL waits for the DDL lock before it fails (tests shorten it) */
    OwnerFence(LeaseGuard guard, OwnerTokenStore store, JdbcConnector db, Run run, Duration ddlLockLimit) {
        this.guard = guard;
        this.store = store;
        this.db = db;
        this.run = run;
        this.lock = store.ddlLock();
        this.ddlLockLimit = ddlLockLimit;
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
            // A DDL of an earlier owner checked the token under the DDL lock before the raise, or it finds the new one.
            // Taking the lock once (killing a holder) waits for the former: it completed or was rolled back. Also
            // with an unchanged token: a holder is then a session that an earlier run of this worker lost (a cut
            // connection the server has not noticed yet), no run of this one, which has not started any unit.
            awaitEarlierDdl(side);
            log.info("subtask {}: owner token {} holds downstream (was {}); earlier owners can no longer commit",
                    run.subtask(), run.token(), before);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.WORKER_FENCE_CLAIM_FAILED, e, run.subtask(), store.table(), SqlErrors.describe(e));
        }
    }

    @Override
    public void enter(Connection c) throws SQLException {
        try {
            requireLeaseNow("before a downstream transaction");
        } catch (DmException e) {
            rollbackQuietly(c);
            throw e;
        }
        OptionalLong owner = store.read(c);
        if (owner.isEmpty() || owner.getAsLong() != run.token()) {
            rollbackQuietly(c);
            throw fenced(owner.orElse(-1), "at a transaction (rolled back)", null);
        }
        if (run.audit()) {
            store.audit(c, run.token());
        }
    }

    @Override
    public void ddl(Connection c, SqlWork work) throws SQLException {
        requireLeaseNow("before a DDL downstream");
        try {
            awaitDdlLock(c);
        } catch (SQLException e) {
            lock.releaseQuietly(c); // the GET_LOCK may have been granted before its answer was lost
            throw lockFailed(e);
        }
        try {
            long owner;
            try {
                owner = store.read(c).orElse(-1); // a locking read: the latest committed token, whatever the isolation
            } catch (SQLException e) {
                throw lockFailed(e);
            }
            if (owner != run.token()) {
                throw fenced(owner, "before a DDL", null);
            }
            try {
                work.run();
            } catch (SQLException e) {
                throw fencedIfKilled(c, e);
            }
        } finally {
            lock.releaseQuietly(c);
        }
    }

    /** Waits for the DDL lock on {@code c}, but not once the token moved on, nor beyond {@link #ddlLockLimit}. */
    private void awaitDdlLock(Connection c) throws SQLException {
        long deadline = System.nanoTime() + ddlLockLimit.toNanos();
        while (!lock.tryTake(c, DDL_LOCK_STEP)) {
            long owner = store.peek(c).orElse(-1);
            if (owner != run.token()) {
                throw fenced(owner, "while waiting for the DDL lock", null);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new DmException(ErrorCode.WORKER_DDL_LOCK_TIMEOUT, run.subtask(), lock, holderText(c),
                        ddlLockLimit.toSeconds());
            }
        }
    }

    /**
     * The work failed: when its connection is gone, a newer owner's claim may have killed it, and this run is then
     * fenced, which says more than the lost connection. Otherwise the error is the statement's own.
     */
    private SQLException fencedIfKilled(Connection c, SQLException e) {
        try {
            if (c.isValid(2)) {
                return e;
            }
        } catch (SQLException ignored) {
            // treated as gone
        }
        try (Connection fresh = db.open()) {
            long owner = current(fresh);
            if (owner != run.token()) {
                throw fenced(owner, "its DDL connection was killed by the claim", e);
            }
        } catch (SQLException ignored) {
            // the downstream is unreachable: the original error says so
        }
        return e;
    }

    private DmException fenced(long owner, String when, Throwable cause) {
        log.warn("subtask {}: fenced {}: the downstream owner token is {}, this run holds {}", run.subtask(), when, owner,
                run.token());
        return new DmException(ErrorCode.WORKER_FENCED, cause, run.subtask(), store.table(), owner, run.token());
    }

    private String holderText(Connection c) {
        try {
            OptionalLong h = lock.holder(c);
            return h.isPresent() ? Long.toString(h.getAsLong()) : "(none any more)";
        } catch (SQLException e) {
            return "(unknown: " + SqlErrors.describe(e) + ")";
        }
    }

    /**
     * Takes and releases the DDL lock on {@code side} after the raise. A holder still there after {@link #KILL_GRACE}
     * runs a DDL of an earlier owner or run (a live one ends its DDL quickly and is fenced at its next statement): it is
     * killed, and the lock is granted once its session has really ended (a KILL only marks it), i.e. its DDL either
     * completed or was rolled back. A newer owner's DDL is not waited for.
     */
    private void awaitEarlierDdl(Connection side) throws SQLException {
        long deadline = System.nanoTime() + CLAIM_LIMIT.toNanos();
        boolean reported = false;
        while (!lock.tryTake(side, KILL_GRACE)) {
            long now = current(side);
            if (now > run.token()) {
                throw new DmException(ErrorCode.WORKER_FENCED, run.subtask(), store.table(), now, run.token());
            }
            OptionalLong holder = lock.holder(side);
            if (System.nanoTime() - deadline > 0) {
                throw new DmException(ErrorCode.WORKER_DDL_LOCK_CLAIM_FAILED, run.subtask(), lock,
                        holder.isPresent() ? Long.toString(holder.getAsLong()) : "(none any more)", CLAIM_LIMIT.toSeconds());
            }
            if (holder.isPresent()) {
                reported = kill(side, holder.getAsLong(), "it holds the DDL lock '" + lock + "' (a DDL of an earlier owner)",
                        reported);
            }
        }
        lock.releaseQuietly(side);
    }

    private DmException lockFailed(SQLException e) {
        return new DmException(ErrorCode.WORKER_DDL_LOCK_FAILED, e, run.subtask(), lock, SqlErrors.describe(e));
    }

    /** {@link #requireLease} for a statement about to run: an interrupt counts as no proof. */
    private void requireLeaseNow(String when) {
        try {
            requireLease(when);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(ErrorCode.WORKER_LEASE_EXPIRED, run.worker(), run.subtask(), "interrupted while waiting");
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
        long mine = DdlLock.connectionId(c);
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
            kill(side, id, "its open transaction (an earlier owner's, frozen or cut off) blocks the raise", false);
        }
        return reported;
    }

    /**
     * Kills connection {@code id}, which rolls back what it runs and releases its locks once its session ended.
     * Returns whether a refusal (another user's connection, no privilege) has been reported, now or before.
     */
    private boolean kill(Connection side, long id, String why, boolean reportedBefore) {
        log.warn("subtask {}: killing downstream connection {}: {}, for the claim of owner token {}", run.subtask(), id,
                why, run.token());
        try (Statement st = side.createStatement()) {
            st.execute("KILL CONNECTION " + id);
            return reportedBefore;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1094) { // unknown thread id: it ended meanwhile
                return reportedBefore;
            }
            if (!reportedBefore) {
                log.error("subtask {}: cannot kill downstream connection {} ({}): a connection of another user needs"
                        + " CONNECTION ADMIN or SUPER; kill it by hand", run.subtask(), id, SqlErrors.describe(e));
            }
            return true;
        }
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

}
