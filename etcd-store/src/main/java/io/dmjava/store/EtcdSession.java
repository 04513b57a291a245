package io.dmjava.store;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd lease kept alive in the background: the liveness of a master or worker. The session is
 * declared lost when etcd says the lease is gone, or when no keepalive has been acknowledged for a
 * whole TTL: past that point etcd may already have expired the lease and another process may act on
 * that, so the owner must stop acting as if it still held it (this is what prevents split brain).
 * A keepalive stream that breaks (the etcd member it used died, a raft leader change) is opened again,
 * through whichever member answers, for as long as the TTL allows: the lease itself is still alive.
 */
public final class EtcdSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EtcdSession.class);
    private static final long REOPEN_DELAY_MILLIS = 100;

    private final Client client;
    private final long leaseId;
    private final Duration ttl;
    private final Runnable onLost;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService watchdog;
    private final StreamObserver<LeaseKeepAliveResponse> observer;
    private volatile CloseableClient keepAlive;
    private volatile long lastAckNanos;

    private EtcdSession(EtcdKv kv, Duration ttl, Runnable onLost, String owner) {
        this.client = kv.client();
        this.ttl = ttl;
        this.onLost = onLost;
        long seconds = Math.max(1, ttl.toSeconds());
        // The grant's own ack counts as the first keepalive: the TTL runs from when etcd granted it.
        this.lastAckNanos = System.nanoTime();
        this.leaseId = kv.await(client.getLeaseClient().grant(seconds), "grant lease").getID();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcd-session-" + owner);
            t.setDaemon(true);
            return t;
        });
        this.observer = new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() > 0) {
                    lastAckNanos = System.nanoTime();
                }
            }

            @Override
            public void onError(Throwable t) {
                keepAliveFailed(t);
            }

            @Override
            public void onCompleted() {
                markLost("keepalive stream completed");
            }
        };
        this.keepAlive = client.getLeaseClient().keepAlive(leaseId, observer);
        long checkMillis = Math.max(100, ttl.toMillis() / 10);
        watchdog.scheduleAtFixedRate(this::checkDeadline, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Grants a lease of {@code ttl} (whole seconds, at least 1) and keeps it alive until closed or lost.
     * {@code onLost} runs once, on a background thread, when the session is lost (never after close).
     */
    public static EtcdSession open(EtcdKv kv, Duration ttl, String owner, Runnable onLost) {
        return new EtcdSession(kv, ttl, onLost, owner);
    }

    public long leaseId() {
        return leaseId;
    }

    public boolean isLost() {
        return lost.get();
    }

    private void checkDeadline() {
        long silentNanos = System.nanoTime() - lastAckNanos;
        if (silentNanos >= ttl.toNanos()) {
            markLost("no keepalive acknowledged for " + Duration.ofNanos(silentNanos).toMillis() + " ms (TTL "
                    + ttl.toMillis() + " ms)");
        }
    }

    /**
     * etcd saying the lease is gone ends the session; any other failure is the stream's, not the lease's: it is
     * opened again shortly (the client then picks a member that answers), and the TTL deadline still decides.
     */
    private void keepAliveFailed(Throwable t) {
        String why = String.valueOf(t.getMessage());
        if (why.contains("lease not found")) {
            markLost("keepalive failed: " + why);
            return;
        }
        if (lost.get() || closed.get()) {
            return;
        }
        log.info("etcd session (lease {}): keepalive stream failed ({}); opening it again", Long.toHexString(leaseId), why);
        try {
            watchdog.schedule(this::reopenKeepAlive, REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // lost or closed meanwhile
        }
    }

    private void reopenKeepAlive() {
        if (lost.get() || closed.get()) {
            return;
        }
        keepAlive.close();
        try {
            keepAlive = client.getLeaseClient().keepAlive(leaseId, observer);
        } catch (RuntimeException e) {
            keepAliveFailed(e); // tried again; the deadline ends it if etcd stays away
        }
    }

    private void markLost(String why) {
        if (closed.get() || !lost.compareAndSet(false, true)) {
            return;
        }
        log.warn("etcd session (lease {}) lost: {}", Long.toHexString(leaseId), why);
        keepAlive.close();
        watchdog.shutdown();
        try {
            onLost.run();
        } catch (RuntimeException e) {
            log.error("session-lost handler failed", e);
        }
    }

    /** Stops the keepalive and revokes the lease, so keys under it vanish at once (a graceful leave). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        keepAlive.close();
        watchdog.shutdownNow();
        if (!lost.get()) {
            try {
                client.getLeaseClient().revoke(leaseId).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.info("revoking lease {} failed ({}); it expires by itself", Long.toHexString(leaseId), e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
