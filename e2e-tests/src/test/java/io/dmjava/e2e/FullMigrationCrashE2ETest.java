package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * SIGKILL of the worker in the middle of a full migration, twice, restarting it each time: first during the
 * dump (the load runs alongside it, importing chunks as they are written), then during the load after the dump
 * finished. The downstream must end with exactly the upstream rows and table definitions.
 *
 * <p>Since the load follows the dump, it may catch up with it and have little left once the dump is done. So
 * that the second kill always finds a running, unfinished load, the test holds a metadata lock on the big table
 * downstream (an open transaction that read it): chunks still go in, but the deferred index cannot be added,
 * so the load cannot finish before the kill. Each kill is checked against what it must have interrupted.
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
    void killingTheWorkerDuringDumpAndLoadLosesAndDoublesNothing() throws SQLException {
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

        Path data = worker.workDir().resolve(worker.name() + ".data");
        killWhen(worker, "dump", st -> st.path("unit").asString().equals("dump"));
        assertThat(files(data, "metadata.json")).as("the first kill interrupted the dump").isEmpty();
        worker.launch().awaitHealthy(START);

        // The restarted dump starts over; once the load has committed chunks of it, hold the index build back.
        awaitStatus("chunks loaded after the restart", st -> st.path("stage").asString().equals("Running")
                && st.path("load_status").path("finished_bytes").asLong() > 0);
        try (Connection hold = DOWN.instance().connect()) {
            hold.setAutoCommit(false);
            try (Statement st = hold.createStatement()) {
                st.executeQuery("SELECT 1 FROM sbtest.sbtest1 LIMIT 1").close(); // a shared metadata lock until rollback
            }
            assertThat(indexes(DOWN.instance())).as("the deferred index is still to add, so the load cannot finish")
                    .doesNotContain("k_1");
            JsonNode atKill = killWhen(worker, "load", st -> st.path("unit").asString().equals("load")
                    && st.path("stage").asString().equals("Running"));
            assertThat(files(data, "metadata.json")).as("the dump had finished").isNotEmpty();
            assertThat(indexes(DOWN.instance())).as("the second kill interrupted an unfinished load").doesNotContain("k_1");
            LoadPhase phase = new LoadPhase(atKill.path("load_status").path("finished_bytes").asLong(),
                    atKill.path("load_status").path("total_bytes").asLong(), Sql.count(DOWN.instance(), "sbtest.sbtest1"));
            System.out.println("CRASH TEST: the load was killed " + phase);
            hold.rollback();
        }
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
        for (String t : List.of("sbtest1", "nokey")) {
            assertThat(showCreate(down, t)).as("definition of %s", t).isEqualTo(showCreate(up, t));
        }
    }

    /** What the load had done when it was killed: chunk bytes committed of those dumped, rows in the table. */
    private record LoadPhase(long finishedBytes, long totalBytes, long rows) {
        @Override
        public String toString() {
            return (finishedBytes < totalBytes ? "while importing chunks" : "with every chunk in, before its index build")
                    + ": " + finishedBytes + " of " + totalBytes + " bytes, " + rows + " of " + ROWS + " rows";
        }
    }

    /** The files called {@code name} under {@code dir} (written only by a dump that finished: metadata.json). */
    private static List<Path> files(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals(name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> indexes(MariaDbInstance db) {
        return Sql.rows(db, "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = 'sbtest' AND TABLE_NAME = 'sbtest1'");
    }

    /** SHOW CREATE TABLE without the AUTO_INCREMENT counter. */
    private static String showCreate(MariaDbInstance db, String table) {
        return Sql.rows(db, "SHOW CREATE TABLE sbtest." + table).get(0).replaceAll(" AUTO_INCREMENT=\\d+", "");
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

    /** Waits until the subtask status matches, then SIGKILLs the worker; returns the status that matched. */
    private static JsonNode killWhen(WorkerProcess worker, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/tasks/crash/status").body();
            JsonNode st = Json.parse(last).path("data").path(0);
            if (condition.test(st)) {
                worker.kill();
                System.out.println("CRASH TEST: SIGKILL of the worker during " + what + " at " + st);
                return st;
            }
            if (st.path("stage").asString().equals("Finished")) {
                throw new AssertionError("the task finished before the worker could be killed during " + what + ": make it bigger");
            }
            FullMigrationE2ETest.sleep(20);
        }
        throw new AssertionError("never reached " + what + "; last status " + last);
    }
}
