package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The relay through the API with real processes: enabling it makes the running subtask's sync unit read the
 * relay ({@code binlog_type: local}) and the worker hold its alive key under a lease granted with the relay
 * keepalive TTL (1800 s, read from etcd); rows written across a rotation arrive identical; disabling it moves the
 * subtask back to the upstream ({@code remote}) and the lease back to the worker's keepalive TTL.
 */
class RelaySyncE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TASK = "rtask";

    @Test
    void enablingTheRelayMovesTheSubtaskToItAndLengthensTheLease() throws Exception {
        try (DmCluster cluster = DmCluster.start(1, List.of(), START)) {
            ApiClient api = cluster.masters().get(0).api();
            WorkerProcess worker = cluster.startWorker("rw1", List.of("--dm.worker.keepalive-ttl=5s"), START);
            String etcd = cluster.masters().get(0).etcdClientUrl();
            UP.instance().execute("CREATE DATABASE rel", "CREATE TABLE rel.t (id INT PRIMARY KEY, v VARCHAR(40))");
            DOWN.instance().execute("CREATE DATABASE rel", "CREATE TABLE rel.t (id INT PRIMARY KEY, v VARCHAR(40))");
            String[] pos = Sql.rows(UP.instance(), "SHOW MASTER STATUS").get(0).split("\\|");
            post(api, "/api/v1/sources", "{\"source\":{\"source_name\":\"rs1\",\"host\":\"127.0.0.1\",\"port\":"
                    + UP.instance().port() + ",\"user\":\"root\",\"password\":\"\"}}", 201);
            post(api, "/api/v1/tasks", "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"incremental\",\"meta_schema\":\"dm_meta\","
                    + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                    + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"rs1\",\"schema\":\"rel\",\"table\":\"*\"}}],"
                    + "\"source_config\":{\"source_conf\":[{\"source_name\":\"rs1\",\"binlog_name\":\"" + pos[0]
                    + "\",\"binlog_pos\":" + pos[1] + "}]}}}", 201);
            awaitTrue(() -> api.get("/api/v1/sources/rs1/status").body().contains("\"worker_name\":\"rw1\""), "source bound to rw1", worker);
            post(api, "/api/v1/tasks/" + TASK + "/start", "{}", 200);
            awaitStatus(api, worker, "the sync unit from the upstream", s -> s.path("sync_status").path("binlog_type").asString().equals("remote"));
            assertThat(grantedTtl(etcd, "rw1")).isEqualTo(5);

            post(api, "/api/v1/sources/rs1/relay/enable", "{}", 200);
            awaitStatus(api, worker, "the sync unit reading the relay", s -> s.path("sync_status").path("binlog_type").asString().equals("local"));
            awaitTrue(() -> grantedTtl(etcd, "rw1") == 1800, "the relay keepalive TTL", worker);
            write(0, 300);
            UP.instance().execute("FLUSH BINARY LOGS");
            write(300, 300);
            awaitSame(api, worker);
            JsonNode local = status(api);
            assertThat(local.path("sync_status").path("binlog_type").asString()).isEqualTo("local");
            assertThat(local.path("stage").asString()).isEqualTo("Running");

            post(api, "/api/v1/sources/rs1/relay/disable", "{}", 200);
            awaitStatus(api, worker, "the sync unit back on the upstream", s -> s.path("sync_status").path("binlog_type").asString().equals("remote"));
            awaitTrue(() -> grantedTtl(etcd, "rw1") == 5, "the keepalive TTL again", worker);
            write(600, 200);
            awaitSame(api, worker);
            System.out.printf("relay e2e: binlog_type remote -> local -> remote, lease TTL 5 -> 1800 -> 5 s, %d rows identical%n",
                    Sql.count(DOWN.instance(), "rel.t"));
        }
    }

    private static void write(int from, int n) {
        for (int i = from; i < from + n; i += 50) {
            StringBuilder sql = new StringBuilder("INSERT INTO rel.t VALUES ");
            for (int j = i; j < i + 50; j++) {
                sql.append(j == i ? "" : ",").append("(").append(j).append(", 'v").append(j).append("')");
            }
            UP.instance().execute(sql.toString(), "UPDATE rel.t SET v = CONCAT(v, 'u') WHERE id % 7 = " + (i % 7));
        }
    }

    private static void awaitSame(ApiClient api, WorkerProcess worker) {
        awaitTrue(() -> TableCompare.difference(UP.instance(), List.of("rel.t"), DOWN.instance(), "rel.t") == null,
                "rel.t identical downstream", worker);
    }

    /** The TTL etcd granted the lease holding the worker's alive key (etcd's JSON gateway), -1 without one. */
    private static long grantedTtl(String etcd, String worker) {
        String key = Base64.getEncoder().encodeToString(EtcdKeys.WORKER_ALIVE.key(worker).getBytes(StandardCharsets.UTF_8));
        JsonNode range = Json.parse(etcdPost(etcd, "/v3/kv/range", "{\"key\":\"" + key + "\"}"));
        String lease = range.path("kvs").path(0).path("lease").asString();
        if (lease == null || lease.isEmpty()) {
            return -1;
        }
        JsonNode ttl = Json.parse(etcdPost(etcd, "/v3/lease/timetolive", "{\"ID\":\"" + lease + "\"}"));
        return Long.parseLong(ttl.path("grantedTTL").asString("-1"));
    }

    private static String etcdPost(String etcd, String path, String body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(etcd + path)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("etcd " + path + ": " + e, e);
        }
    }

    private static void post(ApiClient api, String path, String body, int expected) {
        ApiClient.Response r = api.post(path, body);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(expected);
    }

    private static JsonNode status(ApiClient api) {
        return Json.parse(api.get("/api/v1/tasks/" + TASK + "/status").body()).path("data").path(0);
    }

    private static void awaitStatus(ApiClient api, WorkerProcess worker, String what, Predicate<JsonNode> condition) {
        awaitTrue(() -> {
            JsonNode st = status(api);
            if (st.path("stage").asString().equals("Paused") && !st.path("error_msg").asString("").isEmpty()) {
                throw new AssertionError("paused with an error while waiting for " + what + ": " + st);
            }
            return condition.test(st);
        }, what + " (last status " + api.get("/api/v1/tasks/" + TASK + "/status").body() + ")", worker);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what, WorkerProcess worker) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("no " + what + " within " + WAIT + "\nworker log:\n" + worker.tail());
    }
}
