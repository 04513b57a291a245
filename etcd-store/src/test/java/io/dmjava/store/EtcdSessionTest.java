package io.dmjava.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lease sessions and the worker store against a real single-node etcd. */
class EtcdSessionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private Client client;
    private EtcdKv kv;
    private WorkerStore workers;

    @BeforeEach
    void connect() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        kv = new EtcdKv(client, Duration.ofSeconds(5));
        workers = new WorkerStore(kv, new JsonCodec());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void closingASessionRevokesItsKeysAtOnce() {
        WorkerInfo w = new WorkerInfo("w-close", "127.0.0.1:1");
        workers.register(w);
        EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(60), "t", () -> { });
        workers.putAlive(w, s.leaseId());
        assertThat(workers.isAlive("w-close")).isTrue();
        s.close();
        assertThat(workers.isAlive("w-close")).isFalse();
        assertThat(workers.registered()).containsKey("w-close");
        workers.delete("w-close");
        assertThat(workers.registered("w-close")).isEmpty();
    }

    @Test
    void aSessionThatCannotReachEtcdForATtlIsDeclaredLost() throws InterruptedException {
        CountDownLatch lost = new CountDownLatch(1);
        EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(2), "t", lost::countDown);
        try {
            ETCD.cluster().member(0).process().suspend();
            assertThat(lost.await(20, TimeUnit.SECONDS)).as("session lost while etcd is frozen").isTrue();
            assertThat(s.isLost()).isTrue();
        } finally {
            ETCD.cluster().member(0).process().resume();
            s.close();
        }
    }

    @Test
    void keysOfAnExpiredLeaseVanishAndAFreshSessionWorks() throws InterruptedException {
        WorkerInfo w = new WorkerInfo("w-expire", "127.0.0.1:2");
        workers.register(w);
        long lease = kv.await(client.getLeaseClient().grant(1), "grant").getID();
        workers.putAlive(w, lease);
        assertThat(workers.alive()).contains("w-expire");
        for (int i = 0; i < 100 && workers.isAlive("w-expire"); i++) {
            Thread.sleep(100);
        }
        assertThat(workers.isAlive("w-expire")).isFalse();
        try (EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(5), "t", () -> { })) {
            workers.putAlive(w, s.leaseId());
            Thread.sleep(1500);
            assertThat(workers.isAlive("w-expire")).isTrue();
            assertThat(s.isLost()).isFalse();
        }
    }
}
