package io.dmjava.master.election;

import io.dmjava.master.config.MasterProperties;
import io.dmjava.model.cluster.LeaderInfo;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdSession;
import io.dmjava.store.MasterStore;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns for leadership with etcd's Election API under this master's session lease, runs the
 * {@link LeaderService}s while leading, and steps down when the session is lost, when the master is
 * evicted, or when it shuts down. All of it happens on one thread, so leader services are never
 * started and stopped concurrently.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    private static final long POLL_MILLIS = 200;

    private final EtcdKv kv;
    private final MasterStore masters;
    private final JsonCodec codec;
    private final MasterProperties props;
    private final LeaderInfo self;
    private final List<LeaderService> services;
    private final AtomicLong timesElected = new AtomicLong();
    private final ByteSequence electionName = EtcdKv.bytes(EtcdKeys.MASTER_ELECTION);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean leading;
    private volatile LeaderInfo observedLeader;
    private volatile long observedAtNanos;
    private EtcdSession session;

    public LeaderElection(EtcdKv kv, MasterStore masters, JsonCodec codec, MasterProperties props, String selfAddr,
                          List<LeaderService> services, MeterRegistry meters) {
        this.kv = kv;
        this.masters = masters;
        this.codec = codec;
        this.props = props;
        this.self = new LeaderInfo(props.name(), selfAddr);
        this.services = services;
        // A gauge, not a counter: Prometheus would rename a counter to ..._total, and DM's name is this one.
        Gauge.builder("dm_master_start_leader_counter", timesElected, AtomicLong::get)
                .description("Times this master became the leader").register(meters);
        this.thread = new Thread(this::run, "leader-election");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public boolean isLeader() {
        return leading;
    }

    @Override
    public String self() {
        return self.name();
    }

    @Override
    public Optional<LeaderInfo> leader() {
        if (leading) {
            return Optional.of(self);
        }
        LeaderInfo cached = observedLeader;
        // A fresh read at most every poll interval: followers forward on every request.
        if (cached != null && System.nanoTime() - observedAtNanos < TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)) {
            return Optional.of(cached);
        }
        return Optional.ofNullable(readLeader());
    }

    private LeaderInfo readLeader() {
        try {
            LeaderResponse r = kv.client().getElectionClient().leader(electionName).get(2, TimeUnit.SECONDS);
            LeaderInfo l = codec.decode(r.getKv().getValue().getBytes(), LeaderInfo.class);
            observedLeader = l;
            observedAtNanos = System.nanoTime();
            return l;
        } catch (Exception e) {
            // No leader ("election: no leader") or etcd unreachable: either way none is known.
            observedLeader = null;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private void run() {
        while (!stopping) {
            try {
                ensureSession();
                if (masters.isEvicted(self.name())) {
                    sleep(500);
                    continue;
                }
                LeaderKey key = campaign();
                if (key != null) {
                    lead(key);
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("election round failed, retrying: {}", e.toString());
                sleep(1000);
            }
        }
        closeSession();
    }

    private void ensureSession() {
        if (session == null || session.isLost()) {
            closeSession();
            // No callback: the loops poll isLost() often; interrupting would be mistaken for a shutdown.
            session = EtcdSession.open(kv, props.sessionTtl(), self.name(), () -> { });
            masters.putAlive(self.name(), session.leaseId());
            log.info("master '{}' opened etcd session {}", self.name(), Long.toHexString(session.leaseId()));
        }
    }

    /** Campaigns until elected; returns null if the round must restart (session lost, evicted). */
    private LeaderKey campaign() throws InterruptedException {
        EtcdSession s = session;
        CompletableFuture<CampaignResponse> f = kv.client().getElectionClient()
                .campaign(electionName, s.leaseId(), ByteSequence.from(codec.encode(self)));
        long nextEvictCheck = 0;
        while (true) {
            try {
                return f.get(POLL_MILLIS, TimeUnit.MILLISECONDS).getLeader();
            } catch (TimeoutException notYet) {
                if (stopping || s.isLost()) {
                    f.cancel(true);
                    return null;
                }
                if (System.nanoTime() > nextEvictCheck) {
                    nextEvictCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    if (masters.isEvicted(self.name())) {
                        // Our campaign key lives under the session lease: revoking it withdraws the
                        // candidacy for sure, even if the cancelled call had already reached etcd.
                        f.cancel(true);
                        closeSession();
                        return null;
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("campaign failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void lead(LeaderKey key) throws InterruptedException {
        leading = true;
        timesElected.incrementAndGet();
        log.info("master '{}' is now the leader", self.name());
        int started = 0;
        try {
            for (LeaderService svc : services) {
                svc.onElected();
                started++;
            }
            while (!stopping && !session.isLost() && !masters.isEvicted(self.name())) {
                Thread.sleep(500);
            }
        } catch (RuntimeException e) {
            log.error("leading failed (a leader service or etcd); stepping down so another master can lead", e);
        } finally {
            leading = false;
            for (int i = started - 1; i >= 0; i--) {
                try {
                    services.get(i).onRevoked();
                } catch (RuntimeException e) {
                    log.error("leader service failed to stop", e);
                }
            }
            resign(key);
            log.info("master '{}' is no longer the leader", self.name());
        }
    }

    private void resign(LeaderKey key) {
        if (session == null || session.isLost()) {
            return;
        }
        try {
            kv.client().getElectionClient().resign(key).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // If resigning fails the key still goes with the lease; make that happen now.
            log.warn("resign failed ({}); revoking the session instead", e.toString());
            closeSession();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Steps down (leader services stop, the election key is released) and revokes the session. */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
