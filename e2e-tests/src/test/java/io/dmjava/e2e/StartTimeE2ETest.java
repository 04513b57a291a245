package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * DM's {@code start_time} end to end: an {@code incremental} task without any position in its config, started
 * with a time between two batches of upstream writes (in different binlog files), replicates only the later batch
 * and what follows; malformed or impossible start arguments are refused with 400 before anything runs.
 */
class StartTimeE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TASK = "bytime";
    /** What must arrive downstream: everything but the batch written before the start time. */
    private static final String AFTER_START = "(SELECT * FROM stt.t WHERE batch <> 'A') x";

    private static DmCluster cluster;
    private static ApiClient api;
    private static WorkerProcess worker;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        worker = cluster.startWorker("w1", List.of("--dm.worker.sync.checkpoint-flush-interval=1s"), START);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anIncrementalTaskStartedWithStartTimeReplicatesOnlyWhatWasWrittenFromThen() throws SQLException {
        MariaDbInstance up = UP.instance();
        DOWN.instance().execute("CREATE DATABASE stt",
                "CREATE TABLE stt.t (id INT PRIMARY KEY, batch CHAR(1) NOT NULL, v VARCHAR(32) CHARACTER SET utf8mb4)");
        long base = Long.parseLong(Sql.rows(up, "SELECT UNIX_TIMESTAMP() - 3600").get(0));
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            // binlog timestamps as a real upstream would have written them an hour ago, one batch per second
            st.execute("SET TIMESTAMP = " + (base - 10));
            st.execute("CREATE DATABASE stt");
            st.execute("CREATE TABLE stt.t (id INT PRIMARY KEY, batch CHAR(1) NOT NULL, v VARCHAR(32) CHARACTER SET utf8mb4)");
            for (int i = 0; i < 5; i++) {
                st.execute("SET TIMESTAMP = " + (base + i));
                st.execute("INSERT INTO stt.t SELECT " + i + " * 100 + seq, 'A', CONCAT('a', seq) FROM mysql.seq_1_to_50");
            }
            st.execute("FLUSH BINARY LOGS");
            for (int i = 0; i < 5; i++) {
                st.execute("SET TIMESTAMP = " + (base + 10 + i));
                st.execute("INSERT INTO stt.t SELECT 1000 + " + i + " * 100 + seq, 'B', CONCAT('b', seq) FROM mysql.seq_1_to_50");
                st.execute("UPDATE stt.t SET v = CONCAT(v, '+') WHERE batch = 'B' AND id % 7 = " + i);
            }
        }
        String src = "{\"source\":{\"source_name\":\"s1\",\"host\":\"127.0.0.1\",\"port\":" + up.port()
                + ",\"user\":\"root\",\"password\":\"\"}}";
        assertThat(api.post("/api/v1/sources", src).status()).isEqualTo(201);
        String task = "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"incremental\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"stt\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"s1\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        String start = "/api/v1/tasks/" + TASK + "/start";
        assertRefused(api.post(start, "{\"start_time\":\"21/10/2021 00:01\"}"), 41015, "'start_time'", "YYYY-MM-DD HH:MM:SS");
        assertRefused(api.post(start, "{\"safe_mode_time_duration\":\"60\"}"), 41016, "'safe_mode_time_duration'", "'60s'");
        assertRefused(api.post(start, "{\"start_time\":\"2999-01-01 00:00:00\"}"), 41017, "too late");
        assertThat(status().path("stage").asString()).as("nothing started").isNotEqualTo("Running");

        // DM's form, a wall-clock time of the upstream: between the two batches
        String between = Sql.rows(up, "SELECT FROM_UNIXTIME(" + (base + 7) + ")").get(0);
        long t0 = System.nanoTime();
        ApiClient.Response started = api.post(start, "{\"start_time\":\"" + between + "\",\"safe_mode_time_duration\":\"10m\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        JsonNode running = awaitStatus("the sync unit", s -> s.path("unit").asString().equals("sync")
                && s.path("stage").asString().equals("Running") && s.path("sync_status").path("total_events").asLong() > 0);
        assertThat(running.path("sync_status").path("safe_mode").asBoolean())
                .as("safe_mode_time_duration: %s\nworker log:\n%s", running, worker.tail()).isTrue();
        awaitSame("batch B only, from start_time " + between);
        log("started at %s: batch B (and not A) replicated %.1f s after the start; %s", between,
                (System.nanoTime() - t0) / 1e9, status().path("sync_status"));

        // and what follows, live
        up.execute("INSERT INTO stt.t SELECT 5000 + seq, 'C', 'c' FROM mysql.seq_1_to_20",
                "UPDATE stt.t SET v = 'changed' WHERE id IN (1001, 5001)", "DELETE FROM stt.t WHERE id IN (1002, 5002)");
        awaitSame("batch B and live changes");
        assertThat(Sql.count(DOWN.instance(), "stt.t")).isEqualTo(250 + 20 - 2);
    }

    private static void assertRefused(ApiClient.Response r, int code, String... fragments) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode err = Json.parse(r.body());
        assertThat(err.path("error_code").asInt()).as(r.body()).isEqualTo(code);
        assertThat(err.path("error_msg").asString()).contains(fragments);
    }

    /** Waits until the downstream table holds exactly the upstream rows not of batch A. */
    private static void awaitSame(String what) {
        List<String> cols = TableCompare.columns(UP.instance(), "stt", "t");
        long deadline = System.nanoTime() + WAIT.toNanos();
        String upSum = "";
        String downSum = "";
        while (System.nanoTime() < deadline) {
            status(); // fails fast on an error pause
            upSum = TableCompare.contentSum(UP.instance(), cols, AFTER_START);
            downSum = TableCompare.contentSum(DOWN.instance(), cols, "stt.t");
            if (upSum.equals(downSum)) {
                return;
            }
            FullMigrationE2ETest.sleep(200);
        }
        throw new AssertionError(what + ": downstream (count|crc|md5) " + downSum + ", expected " + upSum + "; status "
                + status() + "\nworker log:\n" + worker.tail());
    }

    private static JsonNode status() {
        JsonNode st = Json.parse(api.get("/api/v1/tasks/" + TASK + "/status").body()).path("data").path(0);
        if (st.path("stage").asString().equals("Paused") && !st.path("error_msg").asString().isEmpty()) {
            throw new AssertionError("paused with an error: " + st + "\nworker log:\n" + worker.tail());
        }
        return st;
    }

    private static JsonNode awaitStatus(String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode st = null;
        while (System.nanoTime() < deadline) {
            st = status();
            if (condition.test(st)) {
                return st;
            }
            FullMigrationE2ETest.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + WAIT + ": " + st + "\nworker log:\n" + worker.tail());
    }

    private static void log(String format, Object... args) {
        System.out.printf("START TIME E2E: " + format + "%n", args);
    }
}
