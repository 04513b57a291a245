package io.dmjava.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.cluster.MasterInfo;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.MasterStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A master registers itself even when etcd does not answer its first writes (found by ChaosE2ETest: on a loaded
 * machine the first write of a master starting with its peers timed out, and the master exited). Real etcd, frozen
 * with SIGSTOP for a while.
 */
class MasterRegistrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    @Test
    void registrationWaitsForASlowEtcdAndGivesUpOnlyAfterItsTime() throws Exception {
        MasterInfo self = new MasterInfo("m1", "127.0.0.1:8261", "m1", "http://127.0.0.1:2379");
        try (Client client = EtcdClients.connect(ETCD.cluster().clientUrls())) {
            MasterStore store = new MasterStore(new EtcdKv(client, Duration.ofSeconds(1)), new JsonCodec());
            ETCD.cluster().member(0).process().suspend();
            CompletableFuture<Void> registered;
            try {
                registered = CompletableFuture.runAsync(() -> MasterConfiguration.register(store, self, Duration.ofSeconds(60)));
                Thread.sleep(3000); // several writes time out meanwhile
                assertThat(registered).isNotDone();
            } finally {
                ETCD.cluster().member(0).process().resume();
            }
            registered.get(60, TimeUnit.SECONDS);
            assertThat(store.registered("m1")).contains(self);

            ETCD.cluster().member(0).process().suspend();
            try {
                assertThatThrownBy(() -> MasterConfiguration.register(store, self, Duration.ofSeconds(2)))
                        .as("bounded: an etcd that never answers still fails the start").isInstanceOf(RuntimeException.class);
            } finally {
                ETCD.cluster().member(0).process().resume();
            }
        }
    }
}
