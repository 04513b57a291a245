package io.dmjava.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.api.ApiContract;
import io.dmjava.master.election.LeaderElection;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdSession;
import io.dmjava.store.WorkerStore;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.service.ApiClient;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * One master in-process against a real external etcd: the REST contract matches the controllers, and
 * every kind of caller mistake gets a 4xx with {@code {error_code, error_msg}}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class MasterApiIntegrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();
    private static final int PORT = FreePorts.allocate();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("dm.etcd.endpoints", () -> ETCD.cluster().endpoints());
        r.add("server.port", () -> PORT);
        r.add("dm.master.name", () -> "it-master");
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    LeaderElection election;
    @Autowired
    EtcdKv kv;

    private final ApiClient api = new ApiClient("http://127.0.0.1:" + PORT);

    @BeforeEach
    void awaitLeadership() throws InterruptedException {
        for (int i = 0; i < 300 && !election.isLeader(); i++) {
            Thread.sleep(50);
        }
        assertThat(election.isLeader()).as("single master becomes leader").isTrue();
    }

    @Test
    void everyControllerRouteIsInTheContractAndEveryContractRouteIsServed() {
        Set<String> served = new TreeSet<>();
        for (var e : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = e.getKey();
            HandlerMethod handler = e.getValue();
            if (!handler.getBeanType().getPackageName().startsWith("io.dmjava")) {
                continue;
            }
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/v1/")) {
                    continue;
                }
                String contractPath = path.replaceAll("\\{(\\w+)Name}", "{$1-name}");
                info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + contractPath));
            }
        }
        Set<String> contract = new TreeSet<>(ApiContract.load().operations());
        contract.remove("GET /api/v1/docs"); // Swagger UI, served by springdoc
        assertThat(served).isEqualTo(contract);
    }

    @Test
    void callerMistakesGetA4xxWithCodeAndMessage() {
        assertError(api.post("/api/v1/cluster/leader", "{\"op\": tru"), 400, 10001);
        assertError(api.post("/api/v1/cluster/leader", ""), 400, 10001);
        assertError(api.post("/api/v1/cluster/leader", "{}"), 400, 10002);
        assertError(api.post("/api/v1/cluster/leader", "{\"op\":\"dance\"}"), 400, 10002);
        assertError(api.put("/api/v1/cluster/masters", "{}"), 405, 10004);
        assertError(api.get("/api/v1/no/such/route"), 404, 10005);
        assertError(api.delete("/api/v1/cluster/workers/ghost"), 404, 20003);
        assertError(api.delete("/api/v1/cluster/masters/ghost"), 404, 20001);
        assertError(api.delete("/api/v1/cluster/masters/it-master"), 409, 20002);
        assertError(api.post("/api/v1/cluster/leader", "{\"op\":\"evict\"}"), 409, 20007);
        assertError(api.post("/api/v1/cluster/leader", "{\"op\":\"cancel-evict\",\"master_name\":\"ghost\"}"), 404, 20001);
        ApiClient.Response text = sendText();
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.body()).contains("\"error_code\":10003");
    }

    private ApiClient.Response sendText() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + PORT + "/api/v1/cluster/leader"))
                    .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("evict")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(r.statusCode(), "", r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void workersShowTheirStageFromEtcd() throws InterruptedException {
        WorkerStore store = new WorkerStore(kv, new JsonCodec());
        WorkerInfo w = new WorkerInfo("it-worker", "127.0.0.1:1");
        store.register(w);
        try (EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(5), "it", () -> { })) {
            store.putAlive(w, s.leaseId());
            awaitBody("/api/v1/cluster/workers", "\"bound_stage\":\"free\"");
            assertError(api.delete("/api/v1/cluster/workers/it-worker"), 409, 20004);
        }
        awaitBody("/api/v1/cluster/workers", "\"bound_stage\":\"offline\"");
        assertThat(api.delete("/api/v1/cluster/workers/it-worker").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/cluster/workers").body()).doesNotContain("it-worker");
    }

    @Test
    void servesContractSwaggerAndMetrics() {
        ApiClient.Response doc = api.get("/api/v1/dm.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.contentType()).startsWith("application/json");
        assertThat(doc.body()).contains("\"/api/v1/cluster/masters\"");
        assertThat(api.get("/api/v1/docs").body()).containsIgnoringCase("swagger");
        assertThat(api.get("/api/v1/cluster/info").body()).matches("\\{\"cluster_id\":\\d+}");
        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).contains("dm_master_start_leader_counter{").doesNotContain("dm_master_start_leader_counter_total");
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
    }

    private void awaitBody(String path, String fragment) throws InterruptedException {
        String body = "";
        for (int i = 0; i < 200; i++) {
            body = api.get(path).body();
            if (body.contains(fragment)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never contained " + fragment + "; last: " + body);
    }

    private static void assertError(ApiClient.Response r, int status, int code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"error_code\":" + code).contains("\"error_msg\":\"").doesNotContain("Exception");
    }
}
