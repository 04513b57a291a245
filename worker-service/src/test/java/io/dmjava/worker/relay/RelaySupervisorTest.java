package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.RelayStageStore;
import io.dmjava.store.SourceStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import io.dmjava.worker.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's relay supervisor against real etcd and MariaDB: it starts the relay of its bound source when the
 * relay stage says Running, reports DM's status and metrics, purges by request without touching what a reader
 * needs, and stops when the relay is disabled.
 */
class RelaySupervisorTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();

    @TempDir
    Path dataDir;

    @Test
    void followsTheRelayStageOfTheBoundSource() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE sup", "CREATE TABLE sup.t (id INT PRIMARY KEY)");
        String first = RelayFixtures.binaryLogs(up).get(0);
        EtcdKv kv = new EtcdKv(EtcdClients.connect(ETCD.cluster().clientUrls()), Duration.ofSeconds(5));
        JsonCodec codec = new JsonCodec();
        SecretCipher cipher = SecretCipher.ofKey(new byte[32]);
        SourceConfig source = new SourceConfig("up1", up.host(), up.port(), up.user(), cipher.encrypt(up.password()),
                false, true, "mariadb", null, SourceConfig.Purge.DEFAULT,
                new SourceConfig.RelayConfig(true, first, null, "relay_log"));
        new SourceStore(kv, codec).put(source);
        kv.put(EtcdKeys.WORKER_ALIVE.key("w1"), new byte[0]);
        assertThat(new BoundStore(kv, codec).bind(new SourceBound("up1", "w1"))).isTrue();
        AtomicReference<String> needed = new AtomicReference<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RelaySupervisor.Cluster cluster = new RelaySupervisor.Cluster() {
            @Override
            public String workerName() {
                return "w1";
            }

            @Override
            public Optional<EtcdKv> kv() {
                return Optional.of(kv);
            }

            @Override
            public boolean alive() {
                return true;
            }
        };
        RelayStageStore stages = new RelayStageStore(kv, codec);
        try (RelaySupervisor sup = new RelaySupervisor(cluster, () -> cipher, dataDir,
                RelaySupervisor.combine(List.of(s -> Optional.ofNullable(needed.get()), s -> Optional.empty())),
                new RelayMetrics(registry))) {
            sup.start();
            assertThat(sup.status("up1")).isEmpty();
            assertThat(stages.enable(source, List.of())).isTrue();
            for (int i = 0; i < 3; i++) {
                up.execute("INSERT INTO sup.t VALUES (" + i + ")", "FLUSH BINARY LOGS");
            }
            up.execute("INSERT INTO sup.t VALUES (100)");
            Path relayDir = dataDir.resolve("relay").resolve("up1");
            Await.until(() -> sup.status("up1").map(RelayStatus::relayCatchUpMaster).orElse(false), "relay catches up: " + sup.status("up1"));
            RelayStatus st = sup.status("up1").orElseThrow();
            assertThat(st.stage()).isEqualTo("Running");
            assertThat(st.relayDir()).isEqualTo(relayDir.toString());
            assertThat(st.relayBinlog()).isEqualTo(st.masterBinlog());
            assertThat(st.relayBinlogGtid()).isEqualTo(st.masterBinlogGtid());
            assertThat(BinlogNames.list(relayDir)).hasSize(4);
            String current = BinlogNames.list(relayDir).get(3);
            Await.until(() -> registry.get("dm_relay_binlog_file").tag("node", "master").gauge().value() == BinlogNames.index(current),
                    "master metrics");
            assertThat(registry.get("dm_relay_binlog_file").tag("node", "relay").gauge().value()).isEqualTo(BinlogNames.index(current));
            assertThat(registry.get("dm_relay_binlog_pos").tag("node", "relay").gauge().value()).isGreaterThan(4);
            assertThat(registry.get("dm_relay_space").tag("type", "available").gauge().value()).isGreaterThan(0);

            List<String> files = BinlogNames.list(relayDir);
            needed.set(files.get(1));
            PurgeRelayResult purged = sup.purge("up1", current);
            assertThat(purged.purged()).containsExactly(files.get(0));
            assertThat(purged.kept()).containsExactly(files.get(1), files.get(2));
            assertThatThrownBy(() -> sup.purge("other", current)).isInstanceOf(DmException.class)
                    .satisfies(e -> assertThat(((DmException) e).errorCode()).isEqualTo(ErrorCode.RELAY_NOT_RUNNING));
            assertThatThrownBy(() -> sup.purge("up1", "x/y")).isInstanceOf(DmException.class)
                    .satisfies(e -> assertThat(((DmException) e).errorCode()).isEqualTo(ErrorCode.RELAY_PURGE_INVALID));

            stages.disable(source, List.of(), true);
            Await.until(() -> sup.status("up1").isEmpty(), "relay stops when disabled");
            assertThat(RelayMeta.read(relayDir)).isPresent();
        }
    }
}
