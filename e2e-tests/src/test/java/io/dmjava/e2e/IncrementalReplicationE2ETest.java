package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Replication end to end, with real master, worker and MariaDB processes, everything through the REST API:
 * an {@code all} task (dump, load, then sync from the dump's position) on sharded tables merged into one, a
 * table without a key and two more schemas, while a writer keeps changing rows (inserts, updates including
 * primary key changes, deletes) and DDL runs in between; then pause/resume, SIGKILLs of the worker during heavy
 * writes, and an {@code incremental} task from an explicit binlog position. After each phase the writer is held,
 * the task must report {@code synced} at the upstream's position, and every table must match by content.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncrementalReplicationE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration CATCH_UP = Duration.ofSeconds(180);
    private static final String TASK = "repl";
    private static final String INCR_TASK = "incr";
    private static final int SHARD_ROWS = 1 << 16;
    private static final int CUSTOMERS = 3000;
    private static final int SKUS = 5000;
    private static final Pattern POSITION = Pattern.compile("\\(([^,]+), (\\d+)\\)");
    private static final List<String> WORKER_ARGS = List.of("--dm.worker.keepalive-ttl=3s",
            "--dm.worker.sync.checkpoint-flush-interval=1s");
    /** downstream table -> the upstream tables it holds */
    private static final List<List<String>> ALL_TABLES = List.of(
            List.of("shop.orders", "shop.orders_01", "shop.orders_02"),
            List.of("shop.customers", "shop.customers"),
            List.of("inv.stock", "inv.stock"),
            List.of("audit.events", "audit.events"));

    private static DmCluster cluster;
    private static ApiClient api;
    private static WorkerProcess worker;
    private static ChangeWriter writer;
    private static long maxLag;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        worker = cluster.startWorker("w1", WORKER_ARGS, START);
        UP.instance().execute("CREATE DATABASE shop", "CREATE DATABASE inv", "CREATE DATABASE audit", "CREATE DATABASE other",
                "CREATE TABLE shop.orders_01 (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2),"
                        + " note VARCHAR(64) CHARACTER SET utf8mb4, updated DATETIME(6), KEY (customer_id))",
                "CREATE TABLE shop.orders_02 LIKE shop.orders_01",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL, city VARCHAR(32)"
                        + " CHARACTER SET utf8mb4)",
                "CREATE TABLE inv.stock (sku VARCHAR(24) PRIMARY KEY, qty INT NOT NULL, price DOUBLE)",
                "CREATE TABLE audit.events (src TINYINT, msg VARCHAR(64) CHARACTER SET utf8mb4, at DATETIME(3))",
                "CREATE TABLE other.ignored (id INT PRIMARY KEY)",
                "INSERT INTO shop.orders_01 SELECT seq, 1 + seq % " + CUSTOMERS + ", (seq % 100000) / 100, CONCAT('first ', seq),"
                        + " '2024-01-01 00:00:00.123456' + INTERVAL seq SECOND FROM mysql.seq_1_to_" + SHARD_ROWS,
                "INSERT INTO shop.orders_02 SELECT " + ChangeWriter.SHARD2 + " + seq, 1 + seq % " + CUSTOMERS
                        + ", (seq % 7777) / 100, IF(seq % 3 = 0, NULL, CONCAT('second ', seq)), NULL FROM mysql.seq_1_to_" + SHARD_ROWS,
                "INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq, IF(seq % 2 = 0, ' Zoë', ' 李雷')),"
                        + " ELT(1 + seq % 3, 'Paris', 'Oslo', NULL) FROM mysql.seq_1_to_" + CUSTOMERS,
                "INSERT INTO inv.stock SELECT CONCAT('SKU-', LPAD(seq, 6, '0')), seq % 100, seq / 7 FROM mysql.seq_1_to_" + SKUS,
                "INSERT INTO audit.events SELECT seq % 8, CONCAT('msg ', seq % 50), '2024-05-01 10:00:00.123' FROM mysql.seq_1_to_4000");
        writer = new ChangeWriter(UP.instance(), SHARD_ROWS, SHARD_ROWS, CUSTOMERS, SKUS);
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
    void anAllTaskCatchesUpWithWritesDuringTheDumpAndLoadAndADdl() {
        String src = "{\"source\":{\"source_name\":\"s1\",\"host\":\"127.0.0.1\",\"port\":" + UP.instance().port()
                + ",\"user\":\"root\",\"password\":\"\"}}";
        ApiClient.Response source = api.post("/api/v1/sources", src);
        assertThat(source.status()).as(source.body()).isEqualTo(201);
        String task = "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"all\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":["
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"shop\",\"table\":\"orders_*\"},\"target\":{\"schema\":\"shop\",\"table\":\"orders\"}},"
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"shop\",\"table\":\"customers\"}},"
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"inv\",\"table\":\"*\"}},"
                + "{\"source\":{\"source_name\":\"s1\",\"schema\":\"audit\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":2,\"import_threads\":2},"
                + "\"source_conf\":[{\"source_name\":\"s1\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitBound();

        writer.start();
        long t0 = System.nanoTime();
        ApiClient.Response started = api.post("/api/v1/tasks/" + TASK + "/start", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("audit.events");

        // The DDL runs in the middle: while the load runs if we see it, else as soon as the sync unit does.
        JsonNode st = awaitStatus(TASK, "the load or sync unit", s -> s.path("unit").asString().equals("load")
                || s.path("unit").asString().equals("sync"));
        String phase = st.path("unit").asString();
        writer.hold();
        try {
            UP.instance().execute("ALTER TABLE shop.customers ADD COLUMN tier INT NOT NULL DEFAULT 1");
            writer.customersHaveTier();
        } finally {
            writer.release();
        }
        log("ALTER TABLE shop.customers ADD COLUMN ran during the %s unit, %.1f s after start, %d writer transactions so far",
                phase, secondsSince(t0), writer.transactions());

        awaitStatus(TASK, "the sync unit", s -> s.path("unit").asString().equals("sync") && s.has("sync_status"));
        log("sync unit running %.1f s after start", secondsSince(t0));
        // (no wait for synced here: under a steady writer the stream is never idle, so synced stays false)
        JsonNode busy = awaitStatus(TASK, "the sync unit replicating the writer's changes",
                s -> s.path("sync_status").path("total_events").asLong() > 2000);
        log("sync replicating, writer running: %s", busy.path("sync_status"));

        // a second DDL, on a table now replicated by the sync unit alone
        writer.hold();
        try {
            UP.instance().execute("ALTER TABLE inv.stock ADD COLUMN label VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT 'ä'");
        } finally {
            writer.release();
        }
        sleep(3000);
        assertSame("after dump, load, sync and two DDLs", TASK, ALL_TABLES);
    }

    @Test
    @Order(2)
    void pausedChangesArriveAfterResume() {
        assertThat(api.post("/api/v1/tasks/" + TASK + "/pause", "{}").status()).isEqualTo(200);
        awaitStatus(TASK, "Paused", s -> s.path("stage").asString().equals("Paused"));
        long before = writer.transactions();
        sleep(3000);
        JsonNode paused = status(TASK).path("data").path(0);
        assertThat(paused.path("stage").asString()).as(paused.toString()).isEqualTo("Paused");
        long whilePaused = writer.transactions() - before;
        assertThat(whilePaused).isPositive();
        long t0 = System.nanoTime();
        ApiClient.Response resumed = api.post("/api/v1/tasks/" + TASK + "/resume", "{}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        awaitStatus(TASK, "Running again", s -> s.path("stage").asString().equals("Running") && s.path("unit").asString().equals("sync"));
        log("resumed after %d transactions written while paused; running again after %.1f s", whilePaused, secondsSince(t0));
        assertSame("after pause, writes, resume", TASK, ALL_TABLES);
        log("pause/resume: synced and identical %.1f s after resume", secondsSince(t0));
    }

    @Test
    @Order(3)
    void sigkillOfTheWorkerDuringHeavyWritesLosesAndDoublesNothing() {
        writer.pace(0);
        try {
            for (int kill = 1; kill <= 2; kill++) {
                // the first kill while it replicates the heavy stream, the second while it catches up after the
                // restart (a restarted unit counts its events from zero)
                long wanted = kill == 1 ? syncEvents() + 3000 : 500;
                JsonNode at = awaitStatus(TASK, "sync busy with the heavy writes", s -> s.path("unit").asString().equals("sync")
                        && s.path("stage").asString().equals("Running")
                        && s.path("sync_status").path("total_events").asLong() >= wanted);
                worker.kill();
                long killed = System.nanoTime();
                log("SIGKILL #%d of the worker at %s", kill, at.path("sync_status"));
                sleep(2000); // the writer goes on while the worker is down
                worker.launch().awaitHealthy(START);
                JsonNode back = awaitStatus(TASK, "sync running after the restart", s -> s.path("unit").asString().equals("sync")
                        && s.path("stage").asString().equals("Running") && s.has("sync_status"));
                log("worker restarted; sync running again %.1f s after the kill: %s", secondsSince(killed), back.path("sync_status"));
            }
            sleep(3000);
        } finally {
            writer.pace(5);
        }
        long t0 = System.nanoTime();
        assertSame("after two SIGKILLs of the worker during heavy writes", TASK, ALL_TABLES);
        log("after the kills: synced and identical %.1f s after the heavy writes stopped (max seconds_behind_master seen: %d)",
                secondsSince(t0), maxLag);
    }

    @Test
    @Order(4)
    void anIncrementalTaskStartsAtTheGivenBinlogPosition() {
        MariaDbInstance up = UP.instance();
        MariaDbInstance down = DOWN.instance();
        // A restored backup: the same tables and rows on both sides up to the position.
        String[] setup = {"CREATE DATABASE incr",
                "CREATE TABLE incr.items (id INT PRIMARY KEY, v VARCHAR(32) CHARACTER SET utf8mb4, n INT)",
                "CREATE TABLE incr.nokey (a INT, b VARCHAR(16))",
                "INSERT INTO incr.items SELECT seq, CONCAT('v', seq), seq * 3 FROM mysql.seq_1_to_1000",
                "INSERT INTO incr.nokey VALUES (1, 'x'), (1, 'x'), (2, NULL)"};
        up.execute(setup);
        down.execute(setup);
        String[] position = masterStatus(up);
        // after the position, before the task exists: only the position can bring these
        up.execute("UPDATE incr.items SET v = CONCAT(v, '*'), n = n + 1 WHERE id % 10 = 0",
                "DELETE FROM incr.items WHERE id % 7 = 0",
                "UPDATE incr.items SET id = id + 10000 WHERE id % 11 = 0",
                "INSERT INTO incr.items SELECT 5000 + seq, 'new', NULL FROM mysql.seq_1_to_300",
                "DELETE FROM incr.nokey WHERE a = 1 LIMIT 1",
                "INSERT INTO incr.nokey VALUES (3, 'ß'), (3, 'ß')");
        String task = "{\"task\":{\"name\":\"" + INCR_TASK + "\",\"task_mode\":\"incremental\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"incr\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"s1\",\"binlog_name\":\"" + position[0]
                + "\",\"binlog_pos\":" + position[1] + "}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long t0 = System.nanoTime();
        ApiClient.Response started = api.post("/api/v1/tasks/" + INCR_TASK + "/start", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        // Structures are read from the upstream at the first start (docs/sync.md): a DDL between the position and
        // that moment is not supported (the tracker then fails on it), so the DDL waits until the unit runs.
        awaitStatus(INCR_TASK, "the sync unit", s -> s.path("unit").asString().equals("sync")
                && s.path("stage").asString().equals("Running") && s.path("sync_status").path("total_events").asLong() > 0);
        up.execute("CREATE TABLE incr.later (k VARCHAR(10) PRIMARY KEY, at DATETIME(6))",
                "INSERT INTO incr.later VALUES ('a', '2024-02-29 01:02:03.456789')",
                "ALTER TABLE incr.items ADD COLUMN extra DECIMAL(8,3) DEFAULT 1.5",
                "UPDATE incr.items SET extra = id / 1000, v = NULL WHERE id % 13 = 0",
                "INSERT INTO incr.later VALUES ('b', NOW(6))",
                "UPDATE incr.later SET k = 'c' WHERE k = 'a'",
                "DELETE FROM incr.items WHERE id BETWEEN 5100 AND 5150");
        List<List<String>> incrTables = List.of(List.of("incr.items", "incr.items"), List.of("incr.nokey", "incr.nokey"),
                List.of("incr.later", "incr.later"));
        assertSame("incremental task from " + position[0] + ":" + position[1], INCR_TASK, incrTables);
        log("incremental task from %s:%s synced and identical %.1f s after start: %s", position[0], position[1],
                secondsSince(t0), status(INCR_TASK).path("data").path(0).path("sync_status"));
        writer.close();
        writer.throwIfFailed();
        // the all task was never disturbed by the second task, and nothing unselected went downstream
        assertSame("the all task at the end", TASK, ALL_TABLES);
        assertThat(Sql.rows(down, "SHOW DATABASES")).doesNotContain("other");
        log("writer: %d upstream transactions in all; max seconds_behind_master seen: %d", writer.transactions(), maxLag);
    }

    @Test
    @Order(5)
    void aDdlTheDownstreamRejectsIsSkippedThroughTheBinlogRoute() {
        String route = "/api/v1/tasks/" + INCR_TASK + "/sources/s1/binlog";
        ApiClient.Response bad = api.post(route, "{\"op\":\"drop\",\"binlog_pos\":\"mysql-bin.000001\"}");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("41008", "op: 'drop'", "binlog_pos: 'mysql-bin.000001'");
        assertThat(api.post("/api/v1/tasks/nope/sources/s1/binlog", "{\"op\":\"skip\"}").status()).isEqualTo(404);
        ApiClient.Response noPos = api.post(route, "{\"op\":\"skip\"}");
        assertThat(noPos.status()).as("no failed DDL to default to: %s", noPos.body()).isEqualTo(409);
        assertThat(noPos.body()).contains("41010");
        assertThat(api.delete(route + "?binlog_pos=mysql-bin.000001:4").body()).contains("41009");

        // a column added downstream by hand: the replicated ADD COLUMN fails there and the task pauses
        DOWN.instance().execute("ALTER TABLE incr.items ADD COLUMN hand INT");
        UP.instance().execute("ALTER TABLE incr.items ADD COLUMN hand INT",
                "UPDATE incr.items SET hand = id WHERE id < 50");
        JsonNode paused = awaitError(INCR_TASK, "DDL failed downstream at binlog_pos ");
        log("paused on the DDL: %s", paused.path("error_msg").asString());
        ApiClient.Response skip = api.post(route, "{\"op\":\"skip\"}");
        assertThat(skip.status()).as(skip.body()).isEqualTo(201);
        String pos = Json.parse(skip.body()).path("binlog_pos").asString();
        assertThat(paused.path("error_msg").asString()).contains("at binlog_pos " + pos + ":");
        assertThat(Json.parse(api.get(route).body()).path("total").asInt()).isEqualTo(1);
        assertThat(api.post("/api/v1/tasks/" + INCR_TASK + "/resume", "{}").status()).isEqualTo(200);
        assertSame("after skipping the rejected DDL", INCR_TASK, List.of(List.of("incr.items", "incr.items")));
        assertThat(Json.parse(api.get(route).body()).path("total").asInt()).as("the used operator is gone").isZero();
        log("binlog skip at %s: resumed, synced and identical", pos);
    }

    @Test
    @Order(6)
    void theTrackedTableStructuresAreReadAndSetThroughTheSchemasRoutes() {
        String route = "/api/v1/tasks/" + INCR_TASK + "/sources/s1/schemas";
        assertThat(api.get(route).body()).contains("\"incr\"");
        assertThat(api.get(route + "/incr").body()).contains("\"items\"", "\"later\"");
        JsonNode items = Json.parse(api.get(route + "/incr/items").body());
        assertThat(items.path("schema_create_sql").asString()).contains("CREATE TABLE", "`hand`");
        assertThat(api.get(route + "/incr/nothing").body()).contains("41012");
        String sql = items.path("schema_create_sql").asString().replace("PRIMARY KEY (`id`)", "PRIMARY KEY (`id`),\n  KEY `by_n` (`n`)");
        String put = "{\"sql_content\":" + Json.quote(sql) + "}";
        ApiClient.Response busy = api.put(route + "/incr/items", put);
        assertThat(busy.status()).as(busy.body()).isEqualTo(409);
        assertThat(busy.body()).contains("41011");

        assertThat(api.post("/api/v1/tasks/" + INCR_TASK + "/pause", "{}").status()).isEqualTo(200);
        awaitStatus(INCR_TASK, "Paused", s -> s.path("stage").asString().equals("Paused"));
        // the master shows the expected stage at once; the worker may take a moment to get the command
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ApiClient.Response bad;
        do {
            bad = api.put(route + "/incr/items", "{\"sql_content\":\"DROP TABLE incr.items\"}");
        } while (bad.status() == 409 && System.nanoTime() < deadline && pause(200));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("41013");
        ApiClient.Response set = api.put(route + "/incr/items", put);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(Json.parse(api.get(route + "/incr/items").body()).path("schema_create_sql").asString()).contains("KEY `by_n`");
        UP.instance().execute("UPDATE incr.items SET n = n + 1 WHERE id < 20", "INSERT INTO incr.items (id, v) VALUES (99999, 'set')");
        assertThat(api.post("/api/v1/tasks/" + INCR_TASK + "/resume", "{}").status()).isEqualTo(200);
        assertSame("after setting a table structure", INCR_TASK, List.of(List.of("incr.items", "incr.items")));
        log("schemas routes: structure of incr.items set while paused, resumed, synced and identical");
    }

    private static boolean pause(long ms) {
        sleep(ms);
        return true;
    }

    /** Polls until the subtask is paused with an error starting with {@code prefix}. */
    private static JsonNode awaitError(String task, String prefix) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode st = status(task).path("data").path(0);
            if (st.path("stage").asString().equals("Paused") && st.path("error_msg").asString().startsWith(prefix)) {
                return st;
            }
            sleep(100);
        }
        throw new AssertionError(task + " did not pause with '" + prefix + "': " + status(task) + "\nworker log:\n" + worker.tail());
    }

    /**
     * Holds the writer, takes the upstream's position, waits until the task reports synced at or past it, and
     * compares every table; then lets the writer go on.
     */
    private static void assertSame(String when, String task, List<List<String>> tables) {
        writer.hold();
        try {
            writer.throwIfFailed();
            String[] pos = masterStatus(UP.instance());
            long t0 = System.nanoTime();
            JsonNode st = awaitStatus(task, "synced at " + pos[0] + ":" + pos[1], s -> s.path("sync_status").path("synced").asBoolean()
                    && atOrPast(s.path("sync_status").path("syncer_binlog").asString(), pos));
            List<String> differences = new ArrayList<>();
            long rows = 0;
            for (List<String> t : tables) {
                String diff = TableCompare.difference(UP.instance(), t.subList(1, t.size()), DOWN.instance(), t.get(0));
                if (diff != null) {
                    differences.add(diff);
                }
                rows += Sql.count(DOWN.instance(), t.get(0));
            }
            assertThat(differences).as("%s: differences (task status %s)", when, status(task)).isEmpty();
            log("%s: synced at %s:%s %.1f s after the writer was held; %d tables, %d rows, 0 differences; %s", when, pos[0], pos[1],
                    secondsSince(t0), tables.size(), rows, st.path("sync_status"));
        } finally {
            writer.release();
        }
    }

    /** Whether the status's {@code (file, pos)} is at or past {@code pos} ({file, pos}); shared with other e2e tests. */
    static boolean atOrPast(String shown, String[] pos) {
        Matcher m = POSITION.matcher(shown == null ? "" : shown);
        if (!m.find()) {
            return false;
        }
        int byFile = m.group(1).compareTo(pos[0]);
        return byFile > 0 || (byFile == 0 && Long.parseLong(m.group(2)) >= Long.parseLong(pos[1]));
    }

    private static String[] masterStatus(MariaDbInstance db) {
        String[] row = Sql.rows(db, "SHOW MASTER STATUS").get(0).split("\\|");
        return new String[] {row[0], row[1]};
    }

    private static long syncEvents() {
        return status(TASK).path("data").path(0).path("sync_status").path("total_events").asLong();
    }

    private static JsonNode status(String task) {
        return Json.parse(api.get("/api/v1/tasks/" + task + "/status").body());
    }

    /** Polls the task's (single) subtask status until {@code condition}; fails at once if it pauses with an error. */
    private static JsonNode awaitStatus(String task, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            writer.throwIfFailed();
            ApiClient.Response r = api.get("/api/v1/tasks/" + task + "/status");
            last = r.status() + " " + r.body();
            if (r.status() == 200) {
                JsonNode st = Json.parse(r.body()).path("data").path(0);
                maxLag = Math.max(maxLag, st.path("sync_status").path("seconds_behind_master").asLong());
                if (st.path("stage").asString().equals("Paused") && st.hasNonNull("error_msg")
                        && !st.path("error_msg").asString().isEmpty()) {
                    throw new AssertionError(task + " paused with an error while waiting for " + what + ": " + st
                            + "\nworker log:\n" + worker.tail());
                }
                if (condition.test(st)) {
                    return st;
                }
            }
            sleep(100);
        }
        throw new AssertionError(task + ": no " + what + " within " + CATCH_UP + "; last status: " + last + "\nworker log:\n"
                + worker.tail());
    }

    private static void awaitBound() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.get("/api/v1/sources/s1/status").body().contains("\"worker_name\":\"\"")) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("s1 never bound: " + api.get("/api/v1/sources/s1/status").body());
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("REPLICATION E2E: " + format + "%n", args);
    }

    private static void sleep(long ms) {
        FullMigrationE2ETest.sleep(ms);
    }
}
