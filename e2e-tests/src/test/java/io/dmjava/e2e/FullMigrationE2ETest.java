package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A full migration of two sources through the REST API, with real masters, workers and MariaDB
 * processes: sharded tables merged into one, a table kept as is, a schema left out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullMigrationE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP1 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension UP2 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static DmCluster cluster;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        MasterProcess master = cluster.masters().get(0);
        api = master.api();
        cluster.startWorker("w1", List.of(), START);
        cluster.startWorker("w2", List.of(), START);
        cluster.startWorker("w3", List.of(), START);
        UP1.instance().execute(
                "CREATE DATABASE shop", "CREATE DATABASE skipme",
                "CREATE TABLE shop.orders_01 (id BIGINT PRIMARY KEY, item VARCHAR(64) CHARACTER SET utf8mb4, amount DECIMAL(12,2), created DATETIME(6))",
                "CREATE TABLE shop.orders_02 LIKE shop.orders_01",
                "CREATE TABLE shop.users (id INT PRIMARY KEY, name VARCHAR(64) CHARACTER SET utf8mb4, note TEXT)",
                "CREATE TABLE skipme.junk (id INT PRIMARY KEY)",
                "INSERT INTO skipme.junk VALUES (1)",
                "INSERT INTO shop.users VALUES (1, 'Zoë 🚀', NULL), (2, 'O''Brien', 'tab\\there\\nnewline')");
        UP2.instance().execute(
                "CREATE DATABASE shop",
                "CREATE TABLE shop.orders_03 (id BIGINT PRIMARY KEY, item VARCHAR(64) CHARACTER SET utf8mb4, amount DECIMAL(12,2), created DATETIME(6))");
        insertOrders(UP1.instance(), "shop.orders_01", 1, 3000);
        insertOrders(UP1.instance(), "shop.orders_02", 100_001, 2000);
        insertOrders(UP2.instance(), "shop.orders_03", 200_001, 2500);
    }

    private static void insertOrders(MariaDbInstance db, String table, long firstId, int n) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = firstId + i;
            values.add("(" + id + ", 'item-" + id + "', " + (id % 1000) + ".25, '2024-02-29 12:34:56." + String.format("%06d", id % 1_000_000) + "')");
        }
        db.execute("INSERT INTO " + table + " VALUES " + String.join(",", values));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String source(String name, MariaDbInstance db, String password) {
        return "{\"source\":{\"source_name\":\"" + name + "\",\"host\":\"127.0.0.1\",\"port\":" + db.port()
                + ",\"user\":\"root\",\"password\":\"" + password + "\",\"enable_gtid\":false,\"enable\":true}}";
    }

    @Test
    @Order(1)
    void badSourcesAreRefusedWithTheFieldAndTheFix() {
        ApiClient.Response missing = api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"bad one\",\"port\":0}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("\"error_code\":30001").contains("source_name").contains("host").contains("port").contains("user");
        ApiClient.Response wrongPassword = api.post("/api/v1/sources", source("s-bad", UP1.instance(), "nope"));
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.body()).contains("\"error_code\":30004").contains("Access denied");
        ApiClient.Response downstreamNoBinlog = api.post("/api/v1/sources", source("s-down", DOWN.instance(), ""));
        assertThat(downstreamNoBinlog.status()).isEqualTo(400);
        assertThat(downstreamNoBinlog.body()).contains("\"error_code\":30005").contains("log-bin");
        assertThat(Json.parse(api.get("/api/v1/sources").body()).get("total").asInt()).isZero();
    }

    @Test
    @Order(2)
    void sourcesAreCreatedBoundAndMasked() {
        ApiClient.Response s1 = api.post("/api/v1/sources", source("s1", UP1.instance(), ""));
        assertThat(s1.status()).as(s1.body()).isEqualTo(201);
        assertThat(Json.parse(s1.body()).get("flavor").asString()).isEqualTo("mariadb");
        assertThat(api.post("/api/v1/sources", source("s2", UP2.instance(), "")).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/sources", source("s1", UP1.instance(), "")).status()).isEqualTo(409);
        ApiClient.Response sameServer = api.post("/api/v1/sources", source("s1-again", UP1.instance(), ""));
        assertThat(sameServer.status()).isEqualTo(400);
        assertThat(sameServer.body()).contains("server_id");
        JsonNode list = Json.parse(api.get("/api/v1/sources").body());
        assertThat(list.get("total").asInt()).isEqualTo(2);
        list.get("data").forEach(s -> assertThat(s.get("password").asString()).isEqualTo("******"));
        awaitBound("s1");
        awaitBound("s2");

        // Transfer an idle source to the free worker; a busy or unknown worker is refused.
        String free = awaitFreeWorker();
        ApiClient.Response moved = api.post("/api/v1/sources/s2/transfer", "{\"worker_name\":\"" + free + "\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(Json.parse(api.get("/api/v1/sources/s2/status").body()).get("data").get(0).get("worker_name").asString())
                .isEqualTo(free);
        ApiClient.Response busy = api.post("/api/v1/sources/s1/transfer", "{\"worker_name\":\"" + free + "\"}");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.body()).contains("\"error_code\":30009");
        assertThat(api.post("/api/v1/sources/s1/transfer", "{\"worker_name\":\"ghost\"}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sources/s1/schemas").body()).contains("shop").contains("skipme").doesNotContain("mysql");
        assertThat(api.get("/api/v1/sources/s1/schemas/shop").body()).contains("orders_01").contains("users");
    }

    /** The one worker (of three, two sources) that serves no source, once all three are registered. */
    private static String awaitFreeWorker() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode ws = Json.parse(api.get("/api/v1/cluster/workers").body());
            if (ws.get("total").asInt() == 3) {
                for (JsonNode w : ws.get("data")) {
                    if (w.get("bound_stage").asString().equals("free")) {
                        return w.get("name").asString();
                    }
                }
            }
            sleep(200);
        }
        throw new AssertionError("no free worker: " + api.get("/api/v1/cluster/workers").body());
    }

    private static void awaitBound(String source) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode st = Json.parse(api.get("/api/v1/sources/" + source + "/status").body());
            if (!st.get("data").get(0).get("worker_name").asString().isEmpty()) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError(source + " never bound: " + api.get("/api/v1/sources/" + source + "/status").body());
    }

    static String task(String name, MariaDbInstance down) {
        return "{\"task\":{\"name\":\"" + name + "\",\"task_mode\":\"full\",\"meta_schema\":\"dm_meta\",\"on_duplicate\":\"replace\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":["
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"shop\",\"table\":\"orders_*\"},\"target\":{\"schema\":\"shop\",\"table\":\"orders\"}},"
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"shop\",\"table\":\"users\"}},"
                + "{\"source\":{\"source_name\":\"s2\",\"schema\":\"shop\",\"table\":\"orders_*\"},\"target\":{\"schema\":\"shop\",\"table\":\"orders\"}}],"
                + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":2,\"import_threads\":4},"
                + "\"source_conf\":[{\"source_name\":\"s1\"},{\"source_name\":\"s2\"}]}}}";
    }

    @Test
    @Order(3)
    void badTasksAreRefusedListingEveryProblem() {
        String unknownSource = task("t-bad", DOWN.instance()).replace("{\"source_name\":\"s2\"}]", "{\"source_name\":\"nope\"}]");
        ApiClient.Response r = api.post("/api/v1/tasks", unknownSource);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("nope");
        String badRegex = task("t-bad", DOWN.instance()).replace("\"table\":\"users\"", "\"table\":\"~users(\"");
        ApiClient.Response rr = api.post("/api/v1/tasks", badRegex);
        assertThat(rr.status()).isEqualTo(400);
        assertThat(rr.body()).contains("table_migrate_rule[1]");
        ApiClient.Response mode = api.post("/api/v1/tasks", task("t-bad", DOWN.instance()).replace("\"full\"", "\"fast\""));
        assertThat(mode.status()).isEqualTo(400);
        assertThat(mode.body()).contains("task_mode");
        assertThat(api.get("/api/v1/tasks/t-bad").status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void aFullTaskMigratesEverySelectedTableExactly() {
        ApiClient.Response created = api.post("/api/v1/tasks", task("t1", DOWN.instance()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(Json.parse(created.body()).get("target_config").get("password").asString()).isEqualTo("******");
        String targets = api.get("/api/v1/tasks/t1/sources/s1/migrate_targets").body();
        assertThat(targets).contains("\"source_table\":\"orders_02\"").contains("\"target_table\":\"orders\"").doesNotContain("junk");

        ApiClient.Response start = api.post("/api/v1/tasks/t1/start", "{}");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        awaitFinished("t1", Duration.ofSeconds(180));

        MariaDbInstance down = DOWN.instance();
        assertThat(Sql.count(down, "shop.orders")).isEqualTo(7500);
        List<String> expected = new ArrayList<>(Sql.rows(UP1.instance(), "SELECT * FROM shop.orders_01"));
        expected.addAll(Sql.rows(UP1.instance(), "SELECT * FROM shop.orders_02"));
        expected.addAll(Sql.rows(UP2.instance(), "SELECT * FROM shop.orders_03"));
        assertThat(Sql.rows(down, "SELECT * FROM shop.orders ORDER BY id")).containsExactlyElementsOf(expected);
        assertThat(Sql.rows(down, "SELECT * FROM shop.users ORDER BY id"))
                .containsExactlyElementsOf(Sql.rows(UP1.instance(), "SELECT * FROM shop.users ORDER BY id"));
        assertThat(Sql.rows(down, "SHOW DATABASES")).doesNotContain("skipme");

        JsonNode status = Json.parse(api.get("/api/v1/tasks/t1/status").body());
        assertThat(status.get("total").asInt()).isEqualTo(2);
        for (JsonNode st : status.get("data")) {
            assertThat(st.get("stage").asString()).isEqualTo("Finished");
            assertThat(st.has("load_status")).isTrue();
        }
    }

    @Test
    @Order(5)
    void startingAgainWithRemoveMetaRedoesTheMigrationFromAFreshSnapshot() {
        UP1.instance().execute("INSERT INTO shop.users VALUES (3, 'new after the first run', NULL)");
        assertThat(api.post("/api/v1/tasks/t1/stop", "{}").status()).isEqualTo(200);
        ApiClient.Response again = api.post("/api/v1/tasks/t1/start", "{\"remove_meta\":true}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        awaitFinished("t1", Duration.ofSeconds(180));
        assertThat(Sql.rows(DOWN.instance(), "SELECT * FROM shop.users ORDER BY id"))
                .containsExactlyElementsOf(Sql.rows(UP1.instance(), "SELECT * FROM shop.users ORDER BY id"));
        assertThat(Sql.count(DOWN.instance(), "shop.orders")).isEqualTo(7500);
    }

    @Test
    @Order(6)
    void tasksConvertToDmYamlAndBack() {
        ApiClient.Response toYaml = api.post("/api/v1/tasks/converters", task("t-conv", DOWN.instance()));
        assertThat(toYaml.status()).as(toYaml.body()).isEqualTo(201);
        String yaml = Json.parse(toYaml.body()).get("task_config_file").asString();
        assertThat(yaml).contains("task-mode").contains("mysql-instances");
        String back = "{\"task_config_file\":" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(yaml) + "}";
        ApiClient.Response toJson = api.post("/api/v1/tasks/converters", back);
        assertThat(toJson.status()).as(toJson.body()).isEqualTo(201);
        assertThat(Json.parse(toJson.body()).get("task").get("name").asString()).isEqualTo("t-conv");
    }

    @Test
    @Order(7)
    void sourcesInUseAreProtectedAndTasksDeleted() {
        ApiClient.Response inUse = api.delete("/api/v1/sources/s1");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.body()).contains("t1");
        assertThat(api.delete("/api/v1/tasks/t1").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/sources/s1").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/sources/s1").status()).isEqualTo(404);
    }

    static void awaitFinished(String task, Duration timeout) {
        awaitFinishedVia(api, task, timeout);
    }

    static void awaitFinishedVia(ApiClient api, String task, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/tasks/" + task + "/status").body();
            JsonNode st = Json.parse(last);
            boolean done = st.get("total").asInt() > 0;
            for (JsonNode s : st.get("data")) {
                if (s.has("error_msg") && !s.get("error_msg").isNull() && s.get("stage").asString().equals("Paused")) {
                    throw new AssertionError("subtask paused with an error: " + s);
                }
                done &= s.get("stage").asString().equals("Finished");
            }
            if (done) {
                return;
            }
            sleep(300);
        }
        throw new AssertionError(task + " did not finish within " + timeout + "; last status: " + last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
