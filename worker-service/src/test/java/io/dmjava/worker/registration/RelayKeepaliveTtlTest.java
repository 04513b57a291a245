package io.dmjava.worker.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.worker.config.WorkerEtcdProperties;
import io.dmjava.worker.config.WorkerProperties;
import io.dmjava.worker.fence.LeaseGuard;
import io.etcd.jetcd.options.LeaseOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.dmjava.worker.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker running a relay keeps its alive key under a lease granted with the relay keepalive TTL (DM's 1800 s
 * default), read back from etcd; when the relay stops it goes back to the normal TTL. The key never vanishes while
 * it moves (a watcher sees no delete), the registration's identity (the epoch its subtasks run under) stays, the
 * lease guard stays VALID, and the old lease is revoked.
 */
class RelayKeepaliveTtlTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    @Test
    void aRelayWorkerHoldsItsAliveKeyWithTheRelayKeepaliveTtl() throws Exception {
        String endpoints = String.join(",", ETCD.cluster().clientUrls());
        WorkerProperties props = new WorkerProperties("ttl-w1", "127.0.0.1:1", "127.0.0.1:1", Duration.ofSeconds(60),
                Duration.ofSeconds(1800), null, Duration.ofSeconds(5), Duration.ofMillis(200));
        AtomicBoolean relay = new AtomicBoolean();
        EtcdKv kv = new EtcdKv(EtcdClients.connect(ETCD.cluster().clientUrls()), Duration.ofSeconds(5));
        String aliveKey = EtcdKeys.WORKER_ALIVE.key("ttl-w1");
        AtomicInteger deletes = new AtomicInteger();
        var watcher = kv.watchPrefix(aliveKey, r -> r.getEvents().forEach(e -> {
            if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
                deletes.incrementAndGet();
            }
        }), e -> { });
        try (WorkerRegistration reg = new WorkerRegistration(props, new WorkerEtcdProperties(endpoints),
                new WorkerInfo("ttl-w1", "127.0.0.1:1"), relay::get)) {
            reg.start();
            Await.until(reg::isAlive, "registered");
            long epoch = reg.leaseId();
            long first = kv.leaseOf(aliveKey);
            assertThat(grantedTtl(kv, first)).isEqualTo(60);

            relay.set(true);
            Await.until(() -> grantedTtl(kv, kv.leaseOf(aliveKey)) == 1800, "the relay keepalive TTL");
            long relayLease = kv.leaseOf(aliveKey);
            assertThat(relayLease).isNotEqualTo(first);
            assertThat(grantedTtl(kv, first)).as("the old lease is revoked").isEqualTo(-1);
            assertThat(reg.currentTtl()).isEqualTo(Duration.ofSeconds(1800));
            assertThat(reg.isAlive()).isTrue();
            assertThat(reg.leaseId()).as("same registration: its subtasks go on").isEqualTo(epoch);
            assertThat(reg.leaseGuard().state(epoch)).isEqualTo(LeaseGuard.State.VALID);

            relay.set(false);
            Await.until(() -> grantedTtl(kv, kv.leaseOf(aliveKey)) == 60, "back to the keepalive TTL");
            assertThat(grantedTtl(kv, relayLease)).isEqualTo(-1);
            assertThat(reg.leaseId()).isEqualTo(epoch);
            assertThat(reg.leaseGuard().state(epoch)).isEqualTo(LeaseGuard.State.VALID);
            assertThat(deletes.get()).as("the alive key never vanished").isZero();
            System.out.printf("relay keepalive TTL test: alive key under lease %x (60 s), %x (1800 s), %x (60 s); epoch %x kept%n",
                    first, relayLease, kv.leaseOf(aliveKey), epoch);
        } finally {
            watcher.close();
        }
    }

    /** The TTL etcd granted the lease, -1 once it is gone. */
    private static long grantedTtl(EtcdKv kv, long lease) {
        if (lease == 0) {
            return -1;
        }
        var r = kv.await(kv.client().getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT), "ttl");
        return r.getTTL() < 0 ? -1 : r.getGrantedTTL();
    }
}
