package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Failover in the full phase, which DM cannot do: the worker running a subtask's dump and load is SIGKILLed
 * once the loader checkpoint shows some, not all, chunks committed; the source moves to the other worker, which
 * starts the subtask by itself.
 * <ul>
 *   <li>{@code all}, with a writer running: the new worker continues the saved chunk plan, reading again only the
 *       chunks whose load had not committed (at a new position); the chunks committed before the kill keep their
 *       checkpoint rows untouched and the new worker never imports them; sync starts at the smallest chunk
 *       position in safe mode; once writes stop and the task is synced, every table matches.</li>
 *   <li>{@code full} (no sync to reconcile chunks read at different positions): the new worker takes a new
 *       snapshot and loads everything again (the tables the dead worker's load created are dropped first), so the
 *       result is one consistent snapshot.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullMigrationFailoverE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final List<String> WORKER_ARGS = List.of("--dm.worker.keepalive-ttl=3s",
            "--dm.worker.sync.checkpoint-flush-interval=1s");
    private static final int BIG_TABLES = 4;
    private static final int ROWS = 150_000;
    private static final List<String> TABLES = List.of("fo.t1", "fo.t2", "fo.t3", "fo.t4", "fo.skey", "fo.nokey");
    private static final Pattern IMPORTED = Pattern.compile("imported chunk (t\\d{5}\\.\\d{5}) ");

    private static DmCluster cluster;
    private static ApiClient api;
    private static WorkerProcess w1;
    private static WorkerProcess w2;
    private static FailoverWriter writer;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE fo",
                "CREATE TABLE fo.skey (name VARCHAR(40) PRIMARY KEY, v VARCHAR(200), n INT, KEY n (n))",
                "INSERT INTO fo.skey SELECT CONCAT('name-', MD5(seq)), REPEAT(SHA1(seq), 4), seq % 1000 FROM mysql.seq_1_to_60000",
                "CREATE TABLE fo.nokey (a INT, b VARCHAR(20))",
                "INSERT INTO fo.nokey SELECT seq % 100, CONCAT('dup', seq % 50) FROM mysql.seq_1_to_20000");
        for (int i = 1; i <= BIG_TABLES; i++) {
            up.execute("CREATE TABLE fo.t" + i + " (id BIGINT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL,"
                            + " pad VARCHAR(60) NOT NULL, KEY k (k))",
                    "INSERT INTO fo.t" + i + " SELECT seq, seq * 7919 % 100000, REPEAT(MD5(seq), 3), SHA1(seq + " + i + ")"
                            + " FROM mysql.seq_1_to_" + ROWS);
        }
        up.execute("ANALYZE TABLE fo.t1, fo.t2, fo.t3, fo.t4, fo.skey, fo.nokey");
        w1 = cluster.startWorker("w1", WORKER_ARGS, START);
        String src = "{\"source\":{\"source_name\":\"s1\",\"host\":\"127.0.0.1\",\"port\":" + up.port()
                + ",\"user\":\"root\",\"password\":\"\"}}";
        ApiClient.Response source = api.post("/api/v1/sources", src);
        assertThat(source.status()).as(source.body()).isEqualTo(201);
        awaitBoundTo("w1", Duration.ofSeconds(30));
        w2 = cluster.startWorker("w2", WORKER_ARGS, START); // free: the spare for failover
        writer = new FailoverWriter(up, BIG_TABLES, ROWS);
    }

    @AfterAll
    static void stop() {
        if (writer != null) {
            writer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anAllTaskWhoseWorkerDiesDuringTheLoadFinishesOnTheOtherWorkerWithoutReloadingFinishedChunks() throws IOException {
        createTask("fo_all", "all", "fo");
        writer.start();
        assertThat(api.post("/api/v1/tasks/fo_all/start", "{}").status()).isEqualTo(200);

        Map<String, String> before = killDuringLoad("fo_all", w1);
        long killed = System.nanoTime();
        awaitBoundTo("w2", WAIT);
        double rebound = secondsSince(killed);
        JsonNode running = awaitStatus("fo_all", "running on w2", s -> s.path("worker_name").asString().equals("w2")
                && s.path("stage").asString().equals("Running") && !s.path("unit").asString().isEmpty());
        double runningAgain = secondsSince(killed);
        JsonNode sync = awaitStatus("fo_all", "the sync unit on w2", s -> s.path("worker_name").asString().equals("w2")
                && s.path("unit").asString().equals("sync") && s.has("sync_status"));
        double inSync = secondsSince(killed);
        log("kill -> source bound to w2 %.1f s, subtask running on w2 %.1f s (%s), sync unit %.1f s", rebound, runningAgain,
                running.path("unit").asString(), inSync);
        long redumpedRows = (long) sync.path("dump_status").path("finished_rows").asDouble();

        Map<String, String> after = checkpointRows("fo_all");
        for (Map.Entry<String, String> e : before.entrySet()) {
            assertThat(after.get(e.getKey())).as("checkpoint row of chunk %s, committed before the kill", e.getKey())
                    .isEqualTo(e.getValue());
        }
        List<String> importedByW2 = importedChunks(w2);
        assertThat(importedByW2).as("chunks w2 imported").isNotEmpty().doesNotContainAnyElementsOf(before.keySet());
        long totalRows = sumRows("fo_all", null);
        long rowsOfChunksBefore = sumRows("fo_all", before.keySet());
        log("chunks: %d committed by w1 before the kill, %d imported by w2, %d in all; rows re-dumped by w2: %d of %d"
                        + " (rows of the chunks w1 had committed: %d)", before.size(), importedByW2.size(), after.size(),
                redumpedRows, totalRows, rowsOfChunksBefore);
        assertThat(redumpedRows).as("w2 read again only the chunks not loaded").isLessThanOrEqualTo(totalRows - rowsOfChunksBefore);

        assertSynced("fo_all", "fo");
        writer.close();
        writer.throwIfFailed();
        // read after the sync unit has run a while: the status shows unit sync before the unit logs its start
        String w2Log = Files.readString(logOf(w2));
        assertThat(w2Log).contains("continuing plan").doesNotContain("dumping everything again")
                .containsPattern("sync fo_all/s1: starting at .*, safe mode until");
        w2Log.lines().filter(l -> l.contains("continuing plan") || l.contains("sync fo_all/s1: starting at"))
                .forEach(l -> log("w2: %s", l.substring(l.indexOf(" - ") + 3)));
        log("writer: %d upstream transactions", writer.transactions());
    }

    @Test
    @Order(2)
    void aFullTaskWhoseWorkerDiesDuringTheLoadIsDumpedAgainFromOneSnapshot() throws IOException {
        writer.close(); // a full migration is compared with a quiet upstream
        w1.launch().awaitHealthy(START); // back as the free spare
        awaitWorkerFree("w1");
        createTask("fo_full", "full", "fo_full");
        assertThat(api.post("/api/v1/tasks/fo_full/start", "{}").status()).isEqualTo(200);

        Map<String, String> before = killDuringLoad("fo_full", w2);
        long killed = System.nanoTime();
        awaitBoundTo("w1", WAIT);
        double rebound = secondsSince(killed);
        awaitStatus("fo_full", "running on w1", s -> s.path("worker_name").asString().equals("w1")
                && s.path("stage").asString().equals("Running") && !s.path("unit").asString().isEmpty());
        double runningAgain = secondsSince(killed);
        FullMigrationE2ETest.awaitFinishedVia(api, "fo_full", WAIT);
        log("full: kill -> source bound to w1 %.1f s, subtask running on w1 %.1f s, finished %.1f s", rebound, runningAgain,
                secondsSince(killed));

        Map<String, String> after = checkpointRows("fo_full");
        String oldPlan = before.values().iterator().next().split("\\|")[0];
        assertThat(after.values()).as("every chunk loaded again from the new snapshot")
                .allSatisfy(v -> assertThat(v).doesNotStartWith(oldPlan + "|"));
        String w1Log = Files.readString(logOf(w1));
        assertThat(w1Log).contains("dumping everything again").contains("the dump was taken again");
        for (String t : TABLES) {
            String target = t.replace("fo.", "fo_full.");
            assertThat(TableCompare.difference(UP.instance(), List.of(t), DOWN.instance(), target)).as(target).isNull();
        }
        log("full: %d chunks committed before the kill, all %d loaded again from one snapshot; %d tables identical",
                before.size(), after.size(), TABLES.size());
    }

    private static void createTask(String name, String mode, String targetSchema) {
        String task = "{\"task\":{\"name\":\"" + name + "\",\"task_mode\":\"" + mode + "\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"fo\",\"table\":\"*\"},"
                + "\"target\":{\"schema\":\"" + targetSchema + "\"}}],"
                + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":4,\"import_threads\":2},"
                + "\"source_conf\":[{\"source_name\":\"s1\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /**
     * Waits until the loader checkpoint holds some but not all chunks of the saved plan, SIGKILLs the worker and
     * returns the checkpoint rows as they were right after the kill.
     */
    private static Map<String, String> killDuringLoad(String task, WorkerProcess worker) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long planned = numberOrZero("SELECT COALESCE(SUM(JSON_LENGTH(`chunks`)), 0) FROM dm_meta." + task + "_dump_plan");
            long done = planned == 0 ? 0 : numberOrZero("SELECT COUNT(*) FROM dm_meta." + task + "_loader_checkpoint");
            if (done >= Math.max(3, planned / 2) && done <= planned - 4) {
                worker.kill();
                Map<String, String> rows = checkpointRows(task);
                log("%s: SIGKILL of %s with %d of %d chunks loaded (%d right after the kill)", task, worker.name(), done, planned,
                        rows.size());
                return rows;
            }
            if (planned > 0 && done >= planned) {
                throw new AssertionError(task + ": the load finished before the kill: make the tables bigger");
            }
            FullMigrationE2ETest.sleep(20);
        }
        throw new AssertionError(task + ": no chunk loaded in time; worker log:\n" + worker.tail());
    }

    /** A number the query returns, or 0 while its meta table does not exist yet. */
    private static long numberOrZero(String sql) {
        try {
            return Long.parseLong(Sql.rows(DOWN.instance(), sql).get(0));
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    /** chunk id -> {@code snapshot_id|create_time|binlog position} of every loader checkpoint row. */
    private static Map<String, String> checkpointRows(String task) {
        Map<String, String> out = new HashMap<>();
        for (String r : Sql.rows(DOWN.instance(), "SELECT chunk_id, snapshot_id, create_time, binlog_name, binlog_pos FROM dm_meta."
                + task + "_loader_checkpoint")) {
            out.put(r.substring(0, r.indexOf('|')), r.substring(r.indexOf('|') + 1));
        }
        return out;
    }

    private static long sumRows(String task, java.util.Collection<String> chunks) {
        String where = chunks == null ? "" : chunks.isEmpty() ? " WHERE FALSE"
                : " WHERE chunk_id IN ('" + String.join("','", chunks) + "')";
        return Long.parseLong(Sql.rows(DOWN.instance(), "SELECT COALESCE(SUM(chunk_rows), 0) FROM dm_meta." + task
                + "_loader_checkpoint" + where).get(0));
    }

    private static List<String> importedChunks(WorkerProcess w) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = IMPORTED.matcher(Files.readString(logOf(w)));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static java.nio.file.Path logOf(WorkerProcess w) {
        return w.workDir().resolve(w.label() + ".log");
    }

    /** Holds the writer, waits until the task is synced at the upstream's position, compares every table. */
    private static void assertSynced(String task, String targetSchema) {
        writer.hold();
        try {
            String[] pos = Sql.rows(UP.instance(), "SHOW MASTER STATUS").get(0).split("\\|");
            long t0 = System.nanoTime();
            awaitStatus(task, "synced at " + pos[0] + ":" + pos[1], s -> s.path("sync_status").path("synced").asBoolean()
                    && IncrementalReplicationE2ETest.atOrPast(s.path("sync_status").path("syncer_binlog").asString(), pos));
            List<String> differences = new ArrayList<>();
            long rows = 0;
            for (String t : TABLES) {
                String target = t.replace("fo.", targetSchema + ".");
                String diff = TableCompare.difference(UP.instance(), List.of(t), DOWN.instance(), target);
                if (diff != null) {
                    differences.add(diff);
                }
                rows += Sql.count(DOWN.instance(), target);
            }
            assertThat(differences).as("differences after the failover").isEmpty();
            log("%s: synced %.1f s after the writer was held; %d tables, %d rows, 0 differences", task, secondsSince(t0),
                    TABLES.size(), rows);
        } finally {
            writer.release();
        }
    }

    private static JsonNode awaitStatus(String task, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            writer.throwIfFailed();
            ApiClient.Response r = api.get("/api/v1/tasks/" + task + "/status");
            last = r.status() + " " + r.body();
            if (r.status() == 200) {
                JsonNode st = Json.parse(r.body()).path("data").path(0);
                if (st.path("stage").asString().equals("Paused") && !st.path("error_msg").asString().isEmpty()) {
                    throw new AssertionError(task + " paused with an error while waiting for " + what + ": " + st
                            + "\nw1:\n" + w1.tail() + "\nw2:\n" + w2.tail());
                }
                if (condition.test(st)) {
                    return st;
                }
            }
            FullMigrationE2ETest.sleep(100);
        }
        throw new AssertionError(task + ": no " + what + " within " + WAIT + "; last status: " + last + "\nw1:\n" + w1.tail()
                + "\nw2:\n" + w2.tail());
    }

    private static void awaitBoundTo(String worker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/sources/s1/status").body();
            if (last.contains("\"worker_name\":\"" + worker + "\"")) {
                return;
            }
            FullMigrationE2ETest.sleep(50);
        }
        throw new AssertionError("s1 never bound to " + worker + ": " + last);
    }

    private static void awaitWorkerFree(String worker) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/cluster/workers").body();
            for (JsonNode w : Json.parse(last).path("data")) {
                if (w.path("name").asString().equals(worker) && w.path("bound_stage").asString().equals("free")) {
                    return;
                }
            }
            FullMigrationE2ETest.sleep(100);
        }
        throw new AssertionError(worker + " never free: " + last);
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("FAILOVER E2E: " + format + "%n", args);
    }
}
