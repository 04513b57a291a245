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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker registered and alive in the cluster: learns the etcd endpoints, registers
 * {@code {name, addr}}, and holds the {@code alive} key under a keepalive lease. When the lease is lost
 * (etcd restarted, network blip, a long pause) it registers again by itself; a graceful stop revokes
 * the lease so the masters see the worker offline at once. A {@link LeaseGuard} tells the subtasks, by the
 * worker's own clock, whether the lease is certainly still alive (see docs/ha.md).
 */
public final class WorkerRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRegistration.class);

    private final WorkerProperties props;
    private final WorkerEtcdProperties etcd;
    private final WorkerInfo self;
    private final JsonCodec codec = new JsonCodec();
    private final EtcdEndpointDiscovery discovery = new EtcdEndpointDiscovery();
    private final LeaseGuard guard = new LeaseGuard();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile EtcdKv kv;
    private volatile EtcdSession session;
    private Client client;

    public WorkerRegistration(WorkerProperties props, WorkerEtcdProperties etcd, WorkerInfo self) {
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
        return s != null && !s.isLost() && guard.state(s.leaseId()) != LeaseGuard.State.LOST;
    }

    /** The lease this worker holds now (0: none); subtasks started under another one must not write. */
    public long leaseId() {
        EtcdSession s = session;
        return s == null ? 0 : s.leaseId();
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
        // No callback: run() polls isAlive() every 200 ms; an interrupt is reserved for shutdown.
        long sent = System.nanoTime();
        EtcdSession s = EtcdSession.open(kv, props.keepaliveTtl(), self.name(), () -> { });
        workers.putAlive(self, s.leaseId());
        EtcdKv k = kv;
        guard.track(s.leaseId(), props.keepaliveTtl(), sent,
                id -> k.await(k.client().getLeaseClient().timeToLive(id, LeaseOption.DEFAULT), "lease time to live").getTTL());
        session = s;
        log.info("worker '{}' registered at {} (keepalive TTL {}s)", self.name(), self.addr(), props.keepaliveTtl().toSeconds());
    }

    private void closeSession() {
        EtcdSession s = session;
        session = null;
        if (s != null) {
            guard.forget(s.leaseId());
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
