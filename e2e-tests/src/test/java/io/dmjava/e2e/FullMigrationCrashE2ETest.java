package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * SIGKILL of the worker in the middle of a full migration, twice (during the dump, then during the
 * load), restarting it each time: the downstream must end with exactly the upstream rows.
 */
class FullMigrationCrashE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final int ROWS = 1 << 20;
    private static DmCluster cluster;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE sbtest",
                "CREATE TABLE sbtest.sbtest1 (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k_1 (k))",
                "CREATE TABLE sbtest.nokey (a INT, b VARCHAR(32))",
                "INSERT INTO sbtest.nokey VALUES (1,'x'),(1,'x'),(2,NULL)",
                // 2^20 rows by doubling: fast to generate, sysbench-shaped.
                "INSERT INTO sbtest.sbtest1 VALUES (1, 1, REPEAT('c', 120), REPEAT('p', 60))");
        for (int i = 0; i < 20; i++) {
            up.execute("INSERT INTO sbtest.sbtest1 SELECT id + (SELECT MAX(id) FROM sbtest.sbtest1), FLOOR(RAND() * 1000000), "
                    + "MD5(RAND()), MD5(RAND()) FROM sbtest.sbtest1");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingTheWorkerDuringDumpAndLoadLosesAndDoublesNothing() {
        WorkerProcess worker = cluster.startWorker("crashy", List.of("--dm.worker.keepalive-ttl=3s"), START);
        String src = "{\"source\":{\"source_name\":\"sb\",\"host\":\"127.0.0.1\",\"port\":" + UP.instance().port()
                + ",\"user\":\"root\",\"password\":\"\"}}";
        assertThat(api.post("/api/v1/sources", src).status()).isEqualTo(201);
        String task = "{\"task\":{\"name\":\"crash\",\"task_mode\":\"full\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"sb\",\"schema\":\"sbtest\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":2,\"import_threads\":2},"
                + "\"source_conf\":[{\"source_name\":\"sb\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Response started = api.post("/api/v1/tasks/crash/start", "{}");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.body()).contains("sbtest.nokey").contains("table_schema");

        killWhen(worker, "dump", st -> st.path("unit").asString().equals("dump"));
        worker.launch().awaitHealthy(START);

        killWhen(worker, "load", st -> st.path("unit").asString().equals("load")
                && st.path("stage").asString().equals("Running")
                && st.path("load_status").path("finished_bytes").asLong() > 0
                && st.path("load_status").path("finished_bytes").asLong() < st.path("load_status").path("total_bytes").asLong());
        worker.launch().awaitHealthy(START);

        // Pause and resume: whether the load is still running or already done, the subtask shows Paused,
        // and resuming runs the unit chain again from its checkpoints (a no-op for finished chunks).
        awaitStatus("the subtask to run again", st -> !st.path("unit").asString().isEmpty());
        assertThat(api.post("/api/v1/tasks/crash/pause", "{}").status()).isEqualTo(200);
        awaitStatus("Paused", st -> st.path("stage").asString().equals("Paused"));
        ApiClient.Response again = api.post("/api/v1/tasks/crash/pause", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("\"error_code\":41006");
        assertThat(api.post("/api/v1/tasks/crash/resume", "{}").status()).isEqualTo(200);

        FullMigrationE2ETest.awaitFinishedVia(api, "crash", Duration.ofSeconds(300));
        MariaDbInstance up = UP.instance();
        MariaDbInstance down = DOWN.instance();
        assertThat(Sql.count(down, "sbtest.sbtest1")).isEqualTo(ROWS);
        assertThat(Sql.checksum(down, "sbtest.sbtest1")).isEqualTo(Sql.checksum(up, "sbtest.sbtest1"));
        assertThat(Sql.rows(down, "SELECT * FROM sbtest.nokey ORDER BY a, b"))
                .containsExactlyElementsOf(Sql.rows(up, "SELECT * FROM sbtest.nokey ORDER BY a, b"));
    }

    private static JsonNode awaitStatus(String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/tasks/crash/status").body();
            JsonNode st = Json.parse(last).path("data").path(0);
            if (condition.test(st)) {
                return st;
            }
            FullMigrationE2ETest.sleep(20);
        }
        throw new AssertionError("never reached " + what + "; last status " + last);
    }

    /** Waits until the subtask status matches, then SIGKILLs the worker. */
    private static void killWhen(WorkerProcess worker, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/tasks/crash/status").body();
            JsonNode st = Json.parse(last).path("data").path(0);
            if (condition.test(st)) {
                worker.kill();
                System.out.println("CRASH TEST: SIGKILL of the worker during " + what + " at " + st);
                return;
            }
            if (st.path("stage").asString().equals("Finished")) {
                throw new AssertionError("the task finished before the worker could be killed during " + what + ": make it bigger");
            }
            FullMigrationE2ETest.sleep(20);
        }
        throw new AssertionError("never reached " + what + "; last status " + last);
    }
}
