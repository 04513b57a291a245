package io.dmjava.worker.fence;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows, by the worker's own monotonic clock, until when its etcd lease is certainly alive. Every probe asks
 * etcd how long the lease has left and counts that from the moment the question was <em>sent</em>: a reply
 * that sat in a socket buffer while the process was frozen (SIGSTOP, a long GC pause) can never extend the
 * lease past what etcd promised before the freeze. {@code System.nanoTime} keeps running during SIGSTOP, so
 * after a freeze longer than the TTL the lease reads as unproven at once, before any thread can commit.
 *
 * <p>The keepalive itself stays with {@link io.dmjava.store.EtcdSession}; this only observes it, so a slow
 * probe never costs the lease. Units ask {@link #awaitValid} before each downstream transaction.
 *
 * <p>Identity and probed lease are apart: the worker may move its alive key to a new lease with another TTL
 * (the relay keepalive TTL, docs/ha.md) without the key ever vanishing, and the runs started under the first
 * lease go on. {@link #beginHandover} to {@link #completeHandover} cover the move: while it is unknown which of the
 * two leases holds the key, the deadline is the earlier of both.
 */
public final class LeaseGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseGuard.class);

    /** Asks etcd how many whole seconds the lease has left, or a negative number when it no longer exists. */
    @FunctionalInterface
    public interface Probe {
        long remainingSeconds(long leaseId) throws Exception;
    }

    /** What the guard knows about a lease. */
    public enum State { VALID, UNPROVEN, LOST }

    private final LongSupplier clock;
    private final boolean background;
    private final Object lock = new Object();
    private long leaseId;
    /** The etcd lease holding the worker's key now (the identity's own lease until a handover). */
    private long probeId;
    /** During a handover: the deadline may not pass this (the new lease's) until the move is known to be done. */
    private long cap;
    private boolean capped;
    private long validUntil;
    private long marginNanos;
    private boolean lost;
    private Probe probe;
    private Thread thread;
    private volatile boolean closed;

    public LeaseGuard() {
        this(System::nanoTime, true);
    }

    /** @param background whether a thread probes by itself (tests call {@link #probeOnce} instead) */
    LeaseGuard(LongSupplier clock, boolean background) {
        this.clock = clock;
        this.background = background;
    }

    /**
     * Starts guarding a newly granted lease. {@code grantSentNanos} is when the grant was asked for: etcd
     * started the TTL after that, so the lease lives at least until then plus {@code ttl}.
     */
    public void track(long id, Duration ttl, long grantSentNanos, Probe p) {
        synchronized (lock) {
            leaseId = id;
            lost = false;
            follow(id, ttl, grantSentNanos, p);
            if (thread == null && background) {
                long period = Math.max(100, Math.min(1_000, ttl.toMillis() / 12));
                thread = new Thread(() -> loop(period), "lease-guard");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** Room for the rate difference of two clocks and for the time a commit takes to travel. */
    private static long margin(Duration ttl) {
        return Math.max(Duration.ofMillis(200).toNanos(), Math.min(ttl.toNanos() / 10, Duration.ofSeconds(2).toNanos()));
    }

    /**
     * The worker is about to move its key from the current lease to lease {@code next} (granted with {@code ttl},
     * asked for at {@code grantSentNanos}). Until {@link #completeHandover} either lease may hold the key, so the
     * lease counts as proven only until the earlier of both deadlines.
     */
    public void beginHandover(long next, Duration ttl, long grantSentNanos) {
        synchronized (lock) {
            long nextUntil = grantSentNanos + ttl.toNanos();
            if (nextUntil - validUntil < 0) {
                validUntil = nextUntil;
            }
            cap = nextUntil;
            capped = true;
            marginNanos = Math.max(marginNanos, margin(ttl));
            log.debug("lease {}: moving to lease {} ({} s)", Long.toHexString(leaseId), Long.toHexString(next), ttl.toSeconds());
        }
    }

    /**
     * The key is now held by lease {@code next} (a conditional write proved it had never vanished): the identity
     * stays, its deadline is the new lease's, and the new lease is the one probed from now on.
     */
    public void completeHandover(long next, Duration ttl, long grantSentNanos, Probe p) {
        synchronized (lock) {
            follow(next, ttl, grantSentNanos, p);
        }
    }

    /** From now on lease {@code id} (granted with {@code ttl}, asked for at {@code sent}) proves the identity. */
    private void follow(long id, Duration ttl, long sent, Probe p) {
        probeId = id;
        capped = false;
        validUntil = sent + ttl.toNanos();
        marginNanos = margin(ttl);
        probe = p;
        lock.notifyAll();
    }

    /** The lease is given up (a new registration follows, or the worker leaves). */
    public void forget(long id) {
        synchronized (lock) {
            if (leaseId == id) {
                lost = true;
                lock.notifyAll();
            }
        }
    }

    /** The lease currently guarded (0: none yet). */
    public long leaseId() {
        synchronized (lock) {
            return leaseId;
        }
    }

    public State state(long id) {
        synchronized (lock) {
            if (id == 0 || id != leaseId || lost) {
                return State.LOST;
            }
            return clock.getAsLong() - (validUntil - marginNanos) < 0 ? State.VALID : State.UNPROVEN;
        }
    }

    /**
     * Returns once lease {@code id} is proven alive; waits while it is only unproven (a slow probe), up to
     * {@code max}. Returns false when the lease is lost or stays unproven that long: the caller must not write.
     */
    public boolean awaitValid(long id, Duration max) throws InterruptedException {
        long deadline = clock.getAsLong() + max.toNanos();
        synchronized (lock) {
            while (true) {
                State s = state(id);
                if (s == State.VALID) {
                    return true;
                }
                long left = deadline - clock.getAsLong();
                if (s == State.LOST || left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }

    /** One probe of the current lease; the background thread calls it periodically. */
    void probeOnce() {
        long id;
        Probe p;
        synchronized (lock) {
            id = probeId;
            p = probe;
            if (id == 0 || lost) {
                return;
            }
        }
        long sent = clock.getAsLong();
        long remaining;
        try {
            remaining = p.remainingSeconds(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.debug("lease {} probe failed: {}", Long.toHexString(id), e.toString());
            return; // no news is not good news: the lease just stays proven until its last known deadline
        }
        synchronized (lock) {
            if (id != probeId) {
                return; // a handover moved the key meanwhile: this answer is about a lease that no longer matters
            }
            if (remaining < 0) {
                if (!lost) {
                    log.warn("lease {} no longer exists in etcd: this worker's subtasks stop writing downstream",
                            Long.toHexString(id));
                }
                lost = true;
            } else {
                long until = sent + remaining * 1_000_000_000L;
                if (capped && until - cap > 0) {
                    until = cap;
                }
                if (until - validUntil > 0) {
                    validUntil = until;
                }
            }
            lock.notifyAll();
        }
    }

    private void loop(long periodMillis) {
        while (!closed) {
            probeOnce();
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (lock) {
            lost = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
