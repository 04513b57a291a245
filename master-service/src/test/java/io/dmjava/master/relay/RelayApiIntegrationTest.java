package io.dmjava.master.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.master.election.LeaderElection;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdSession;
import io.dmjava.store.RelayStageStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.WorkerStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.service.ApiClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The relay routes on one in-process master against a real etcd: every caller mistake is refused up front with a
 * 4xx and a stable code, and enable/disable leave the expected stage, relay_config and relay-worker keys in etcd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RelayApiIntegrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();
    private static final int PORT = FreePorts.allocate();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("dm.etcd.endpoints", () -> ETCD.cluster().endpoints());
        r.add("server.port", () -> PORT);
        r.add("dm.master.name", () -> "relay-master");
    }

    @Autowired
    LeaderElection election;
    @Autowired
    EtcdKv kv;

    private final ApiClient api = new ApiClient("http://127.0.0.1:" + PORT);
    private final JsonCodec codec = new JsonCodec();

    @BeforeEach
    void awaitLeadership() throws InterruptedException {
        for (int i = 0; i < 300 && !election.isLeader(); i++) {
            Thread.sleep(50);
        }
        assertThat(election.isLeader()).isTrue();
    }

    @Test
    void validatesUpFrontAndWritesTheExpectedStateInOneTransaction() {
        SourceStore sources = new SourceStore(kv, codec);
        // rs1 is disabled, so the scheduler leaves it unbound; rs2 gets the only alive worker, rw-other.
        sources.put(new SourceConfig("rs1", "127.0.0.1", 1, "root", "", false, false, "mariadb", null,
                SourceConfig.Purge.DEFAULT, SourceConfig.RelayConfig.DISABLED));
        sources.put(new SourceConfig("rs2", "127.0.0.1", 2, "root", "", false, true, "mariadb", null,
                SourceConfig.Purge.DEFAULT, SourceConfig.RelayConfig.DISABLED));
        WorkerStore workers = new WorkerStore(kv, codec);
        workers.register(new WorkerInfo("rw-alive", "127.0.0.1:1"));
        workers.register(new WorkerInfo("rw-offline", "127.0.0.1:1"));
        workers.register(new WorkerInfo("rw-other", "127.0.0.1:1"));
        RelayWorkerStore relayWorkers = new RelayWorkerStore(kv);
        RelayStageStore stages = new RelayStageStore(kv, codec);
        try (EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(10), "relay-it", () -> { })) {
            workers.putAlive(new WorkerInfo("rw-other", "127.0.0.1:1"), s.leaseId());
            BoundStore bounds = new BoundStore(kv, codec);
            bounds.bind(new SourceBound("rs2", "rw-other")); // or the scheduler did it first
            assertThat(bounds.workerOf("rs2")).contains("rw-other");
            workers.putAlive(new WorkerInfo("rw-alive", "127.0.0.1:1"), s.leaseId());

            assertError(api.post("/api/v1/sources/ghost/relay/enable", "{}"), 404, 30003);
            assertError(api.post("/api/v1/sources/ghost/relay/disable", "{}"), 404, 30003);
            assertError(api.post("/api/v1/sources/ghost/relay/purge", "{\"relay_binlog_name\":\"mysql-bin.000001\"}"), 404, 30003);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"relay_binlog_name\":\"../etc/passwd\"}"), 400, 30014);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"relay_binlog_gtid\":\"not-a-gtid\"}"), 400, 30014);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"relay_dir\":\"../../x\"}"), 400, 30014);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"worker_name_list\":[\"nobody\"]}"), 400, 30013);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"worker_name_list\":[\"rw-offline\"]}"), 400, 30013);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"worker_name_list\":[\"rw-other\"]}"), 400, 30013);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"worker_name_list\":[\"\"]}"), 400, 10002);
            assertError(api.post("/api/v1/sources/rs1/relay/enable", "{\"worker_name_list\":"), 400, 10001);
            assertError(api.post("/api/v1/sources/rs1/relay/purge", "{}"), 400, 30014);
            assertError(api.post("/api/v1/sources/rs1/relay/purge", "{\"relay_binlog_name\":\"a/b.1\"}"), 400, 30014);
            assertError(api.post("/api/v1/sources/rs1/relay/purge", "{\"relay_binlog_name\":\"mysql-bin.000001\"}"), 409, 30015);
            assertThat(stages.stage("rs1")).isEmpty();
            assertThat(relayWorkers.relaySources()).isEmpty();

            ApiClient.Response ok = api.post("/api/v1/sources/rs1/relay/enable",
                    "{\"worker_name_list\":[\"rw-alive\"],\"relay_binlog_name\":\"mysql-bin.000003\",\"relay_binlog_gtid\":\"0-1-7\"}");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(stages.stage("rs1")).contains(Stage.Running);
            assertThat(relayWorkers.relaySource("rw-alive")).contains("rs1");
            SourceConfig.RelayConfig rc = sources.get("rs1").orElseThrow().relayConfig();
            assertThat(rc.enableRelay()).isTrue();
            assertThat(rc.relayBinlogName()).isEqualTo("mysql-bin.000003");
            assertThat(rc.relayBinlogGtid()).isEqualTo("0-1-7");
            // A relay worker of rs1 cannot pull rs2's relay.
            assertError(api.post("/api/v1/sources/rs2/relay/enable", "{\"worker_name_list\":[\"rw-alive\"]}"), 400, 30013);
            assertThat(api.get("/api/v1/sources/rs1/status").body()).contains("\"worker_name\":\"rw-alive\"", "relay_status");
            assertThat(api.get("/api/v1/sources?enable_relay=true").body()).contains("\"source_name\":\"rs1\"")
                    .doesNotContain("\"source_name\":\"rs2\"");

            assertError(api.post("/api/v1/sources/rs1/relay/disable", "{\"worker_name_list\":[\"rw-other\"]}"), 400, 30013);
            assertThat(api.post("/api/v1/sources/rs1/relay/disable", "{\"worker_name_list\":[\"rw-alive\"]}").status()).isEqualTo(200);
            assertThat(relayWorkers.relaySource("rw-alive")).isEmpty();
            assertThat(stages.stage("rs1")).contains(Stage.Running);
            assertThat(api.post("/api/v1/sources/rs1/relay/disable", "").status()).isEqualTo(200);
            assertThat(stages.stage("rs1")).isEmpty();
            assertThat(sources.get("rs1").orElseThrow().relayConfig().enableRelay()).isFalse();
        }
    }

    private static void assertError(ApiClient.Response r, int status, int code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"error_code\":" + code).contains("\"error_msg\":\"").doesNotContain("Exception");
    }
}
