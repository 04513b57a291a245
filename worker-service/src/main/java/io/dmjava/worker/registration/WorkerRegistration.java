package io.dmjava.worker.registration;

import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdSession;
import io.dmjava.store.WorkerStore;
import io.dmjava.worker.config.WorkerEtcdProperties;
import io.dmjava.worker.config.WorkerProperties;
import io.dmjava.worker.fence.LeaseGuard;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker registered and alive in the cluster: learns the etcd endpoints, registers
 * {@code {name, addr}}, and holds the {@code alive} key under a keepalive lease. When the lease is lost
 * (etcd restarted, network blip, a long pause) it registers again by itself; a graceful stop revokes
 * the lease so the masters see the worker offline at once. A {@link LeaseGuard} tells the subtasks, by the
 * worker's own clock, whether the lease is certainly still alive (see docs/ha.md).
 *
 * <p>TTL: {@code dm.worker.keepalive-ttl}, or {@code dm.worker.relay-keepalive-ttl} while the worker runs a relay
 * (DM's behaviour: a relay worker restarting with a large relay log is not declared offline and its source is not
 * moved away too soon). On a change the alive key moves to a new lease granted with the other TTL, in one
 * conditional write that succeeds only if the key never vanished; the old lease is revoked after. The worker
 * never looks offline, so its registration (the epoch its subtasks run under) stays the same.
 */
public final class WorkerRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRegistration.class);

    private final WorkerProperties props;
    private final WorkerEtcdProperties etcd;
    private final WorkerInfo self;
    private final JsonCodec codec = new JsonCodec();
    private final EtcdEndpointDiscovery discovery = new EtcdEndpointDiscovery();
    private final LeaseGuard guard = new LeaseGuard();
    private final BooleanSupplier relayRunning;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile EtcdKv kv;
    private volatile EtcdSession session;
    /** The first lease of this registration: the identity subtask runs are tied to, kept through TTL changes. */
    private volatile long epoch;
    private volatile Duration ttl;
    /** When the alive key was created: a TTL change moves it only if it never vanished since. */
    private long aliveCreatedAt;
    private Client client;

    public WorkerRegistration(WorkerProperties props, WorkerEtcdProperties etcd, WorkerInfo self) {
        this(props, etcd, self, () -> false);
    }

    /** @param relayRunning whether the worker runs a relay now (then the relay keepalive TTL applies) */
    public WorkerRegistration(WorkerProperties props, WorkerEtcdProperties etcd, WorkerInfo self, BooleanSupplier relayRunning) {
        this.relayRunning = relayRunning;
        this.props = props;
        this.etcd = etcd;
        this.self = self;
        this.thread = new Thread(this::run, "worker-registration");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public WorkerInfo self() {
        return self;
    }

    /** Whether the worker currently holds a live keepalive lease. */
    public boolean isAlive() {
        EtcdSession s = session;
        return s != null && !s.isLost() && guard.state(epoch) != LeaseGuard.State.LOST;
    }

    /**
     * The registration this worker holds now, as the id of its first lease (0: none); subtasks started under
     * another one must not write. A TTL change keeps it (the lease guard follows the new lease).
     */
    public long leaseId() {
        return session == null ? 0 : epoch;
    }

    /** The TTL of the lease holding the alive key now (null before the first registration). */
    public Duration currentTtl() {
        return ttl;
    }

    public LeaseGuard leaseGuard() {
        return guard;
    }

    public Duration keepaliveTtl() {
        return props.keepaliveTtl();
    }

    /** The cluster store, once the worker has reached it. */
    public Optional<EtcdKv> kv() {
        return Optional.ofNullable(kv);
    }

    private void run() {
        while (!stopping) {
            try {
                if (kv == null) {
                    connect();
                }
                if (kv != null && !isAlive()) {
                    register();
                } else if (kv != null && !wantedTtl().equals(ttl)) {
                    changeTtl(wantedTtl());
                }
                Thread.sleep(kv == null || !isAlive() ? props.retryInterval().toMillis() : 200);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("worker '{}' could not register yet: {}", self.name(), e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void connect() {
        List<String> endpoints;
        if (etcd.endpoints() != null && !etcd.endpoints().isBlank()) {
            endpoints = EtcdClients.split(etcd.endpoints());
        } else {
            List<String> why = new ArrayList<>();
            Optional<List<String>> found = discovery.discover(props.joinList(), why);
            if (found.isEmpty()) {
                log.warn("worker '{}' cannot reach any master of {} yet: {}", self.name(), props.joinList(), why);
                return;
            }
            endpoints = found.get();
        }
        client = EtcdClients.connect(endpoints);
        kv = new EtcdKv(client, props.etcdTimeout());
        log.info("worker '{}' uses etcd at {}", self.name(), endpoints);
    }

    private void register() {
        WorkerStore workers = new WorkerStore(kv, codec);
        Optional<WorkerInfo> existing = workers.registered(self.name());
        if (existing.isPresent() && !existing.get().addr().equals(self.addr()) && workers.isAlive(self.name())) {
            throw new IllegalStateException("another worker named '" + self.name() + "' is alive at "
                    + existing.get().addr() + "; give this one a different dm.worker.name");
        }
        closeSession();
        workers.register(self);
        Duration t = wantedTtl();
        // No callback: run() polls isAlive() every 200 ms; an interrupt is reserved for shutdown.
        long sent = System.nanoTime();
        EtcdSession s = EtcdSession.open(kv, t, self.name(), () -> { });
        workers.putAlive(self, s.leaseId());
        aliveCreatedAt = workers.aliveCreatedAt(self.name());
        guard.track(s.leaseId(), t, sent, probe());
        epoch = s.leaseId();
        ttl = t;
        session = s;
        log.info("worker '{}' registered at {} (keepalive TTL {}s)", self.name(), self.addr(), t.toSeconds());
    }

    private Duration wantedTtl() {
        return relayRunning.getAsBoolean() ? props.relayKeepaliveTtl() : props.keepaliveTtl();
    }

    private LeaseGuard.Probe probe() {
        EtcdKv k = kv;
        return id -> k.await(k.client().getLeaseClient().timeToLive(id, LeaseOption.DEFAULT), "lease time to live").getTTL();
    }

    /**
     * Moves the alive key to a new lease of TTL {@code t}: grant, then a write that succeeds only if the key never
     * vanished (so the masters never saw the worker offline and nothing was rebound), then revoke the old lease.
     * The guard takes the earlier of both deadlines while the move is in flight. If the key had vanished, or the
     * write's outcome is unknown, the worker registers anew (a new epoch: its subtasks restart, as after a lost lease).
     */
    private void changeTtl(Duration t) {
        EtcdSession old = session;
        long sent = System.nanoTime();
        EtcdSession next = EtcdSession.open(kv, t, self.name(), () -> { });
        guard.beginHandover(next.leaseId(), t, sent);
        boolean moved;
        try {
            moved = new WorkerStore(kv, codec).moveAlive(self, aliveCreatedAt, next.leaseId());
        } catch (RuntimeException e) {
            log.warn("worker '{}': moving its alive key to a lease of {}s failed ({}); registering again", self.name(),
                    t.toSeconds(), e.getMessage());
            next.close();
            closeSession();
            return;
        }
        if (!moved) {
            log.warn("worker '{}': its alive key vanished before the move to a lease of {}s; registering again",
                    self.name(), t.toSeconds());
            next.close();
            closeSession();
            return;
        }
        guard.completeHandover(next.leaseId(), t, sent, probe());
        session = next;
        ttl = t;
        old.close();
        log.info("worker '{}' keeps its registration under lease {} with keepalive TTL {}s{}", self.name(),
                Long.toHexString(next.leaseId()), t.toSeconds(), relayRunning.getAsBoolean() ? " (it runs a relay)" : "");
    }

    private void closeSession() {
        EtcdSession s = session;
        session = null;
        if (s != null) {
            guard.forget(epoch);
            s.close();
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(props.retryInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSession();
        guard.close();
        if (client != null) {
            client.close();
        }
        log.info("worker '{}' left the cluster", self.name());
    }
}
