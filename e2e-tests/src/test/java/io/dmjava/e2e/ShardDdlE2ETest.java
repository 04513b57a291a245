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
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Pessimistic shard DDL end to end (docs/shard-ddl.md): two sources, each with one shard of {@code orders}, merged
 * into {@code merged.orders} by a task in {@code shard_mode: pessimistic}. A DDL on the first shard blocks that
 * source at the DDL (its later rows wait; the lock shows in the status and in {@code dm_master_ddl_state_number})
 * while the other source keeps replicating; the same DDL on the second shard resolves the lock: it runs downstream
 * once and every row arrives, with the new column. Then two different DDLs conflict: the later source pauses with
 * 54002, and a binlog replace on it, without a position, resolves the lock.
 */
class ShardDdlE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP1 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension UP2 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TASK = "merge";
    private static final String LOCK = "merge-`merged`.`orders`";

    private static DmCluster cluster;
    private static ApiClient api;
    private static final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        for (String w : List.of("w1", "w2", "w3")) {
            workers.add(cluster.startWorker(w, List.of("--dm.worker.keepalive-ttl=3s",
                    "--dm.worker.sync.checkpoint-flush-interval=1s"), START));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDdlOfMergedShardsRunsDownstreamOnceWhenEveryShardHasReachedIt() {
        MariaDbInstance up1 = UP1.instance();
        MariaDbInstance up2 = UP2.instance();
        up1.execute("CREATE DATABASE shard_01", "CREATE TABLE shard_01.orders (id INT PRIMARY KEY, v VARCHAR(32) NOT NULL)",
                "INSERT INTO shard_01.orders SELECT seq, CONCAT('a', seq) FROM mysql.seq_1_to_100");
        up2.execute("CREATE DATABASE shard_02", "CREATE TABLE shard_02.orders (id INT PRIMARY KEY, v VARCHAR(32) NOT NULL)",
                "INSERT INTO shard_02.orders SELECT 100000 + seq, CONCAT('b', seq) FROM mysql.seq_1_to_100");
        for (int i = 1; i <= 2; i++) {
            MariaDbInstance up = i == 1 ? up1 : up2;
            ApiClient.Response r = api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"s" + i
                    + "\",\"host\":\"127.0.0.1\",\"port\":" + up.port() + ",\"user\":\"root\",\"password\":\"\"}}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        String rule = "{\"source\":{\"source_name\":\"%s\",\"schema\":\"shard_*\",\"table\":\"orders\"},"
                + "\"target\":{\"schema\":\"merged\",\"table\":\"orders\"}}";
        String task = "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"all\",\"shard_mode\":\"pessimistic\","
                + "\"meta_schema\":\"dm_meta\",\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port()
                + ",\"user\":\"root\",\"password\":\"\"},\"table_migrate_rule\":[" + rule.formatted("s1") + ","
                + rule.formatted("s2") + "],\"source_config\":{\"source_conf\":[{\"source_name\":\"s1\"},{\"source_name\":\"s2\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Response started = api.post("/api/v1/tasks/" + TASK + "/start", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        awaitStatus("both subtasks in sync", st -> allMatch(st, s -> s.path("unit").asString().equals("sync")
                && s.path("stage").asString().equals("Running")));
        awaitMerged("the full migration of both shards");
        awaitDdlStates("no lock yet", 0, 0);

        // the first shard changes: its source waits at the DDL, the other keeps replicating
        up1.execute("ALTER TABLE shard_01.orders ADD COLUMN note VARCHAR(16) NOT NULL DEFAULT 'old'",
                "INSERT INTO shard_01.orders SELECT 200 + seq, 'a-after', 'new' FROM mysql.seq_1_to_20");
        JsonNode waiting = awaitStatus("source s1 waiting for the shard DDL lock", st ->
                LOCK.equals(subtask(st, "s1").path("unresolved_ddl_lock_id").asString()));
        assertThat(subtask(waiting, "s1").path("sync_status").path("blocking_ddls").toString()).contains("ADD COLUMN");
        assertThat(subtask(waiting, "s2").path("unresolved_ddl_lock_id").isMissingNode()).as(waiting.toString()).isTrue();
        awaitDdlStates("one lock waiting for a source", 1, 0);
        up2.execute("INSERT INTO shard_02.orders SELECT 100200 + seq, 'b-before' FROM mysql.seq_1_to_10");
        awaitCount("shard 2's rows while shard 1 waits", "SELECT COUNT(*) FROM merged.orders WHERE v = 'b-before'", 10);
        assertThat(TableCompare.columns(DOWN.instance(), "merged", "orders")).as("the DDL has not run yet").hasSize(2);
        assertThat(Sql.rows(DOWN.instance(), "SELECT COUNT(*) FROM merged.orders WHERE v = 'a-after'")).containsExactly("0");

        // the waiting source's worker dies: the spare worker takes the source over and waits at the same DDL again
        String waiter = subtask(waiting, "s1").path("worker_name").asString();
        WorkerProcess victim = workers.stream().filter(w -> w.name().equals(waiter)).findFirst().orElseThrow();
        victim.kill();
        long killed = System.nanoTime();
        awaitStatus("s1 waiting again on another worker", st -> !waiter.equals(subtask(st, "s1").path("worker_name").asString())
                && LOCK.equals(subtask(st, "s1").path("unresolved_ddl_lock_id").asString()));
        System.out.printf("SHARD DDL E2E: worker %s of the waiting source SIGKILLed; waiting again on another worker after %.1f s%n",
                waiter, (System.nanoTime() - killed) / 1e9);
        awaitDdlStates("still one lock waiting", 1, 0);

        // the second shard reaches the same DDL: it runs downstream once, then both sources go on
        up2.execute("ALTER TABLE shard_02.orders ADD COLUMN note VARCHAR(16) NOT NULL DEFAULT 'old'",
                "INSERT INTO shard_02.orders SELECT 100300 + seq, 'b-after', 'new' FROM mysql.seq_1_to_20");
        awaitMerged("every row of both shards, with the new column");
        awaitStatus("the lock resolved", st -> allMatch(st, s -> s.path("unresolved_ddl_lock_id").isMissingNode()));
        awaitDdlStates("the lock gone", 0, 0);
        String log = String.join("\n", workers.stream().map(WorkerProcess::tail).toList());
        assertThat(Pattern.compile("DDL applied: ALTER TABLE `merged`.`orders` ADD COLUMN").matcher(log).results().count())
                .as("the DDL ran downstream once:\n%s", log).isEqualTo(1);

        // different DDLs on the shards conflict: the later source pauses, a binlog replace on it resolves the lock
        up1.execute("ALTER TABLE shard_01.orders ADD COLUMN qty INT NOT NULL DEFAULT 1");
        awaitStatus("source s1 waiting again", st -> LOCK.equals(subtask(st, "s1").path("unresolved_ddl_lock_id").asString()));
        up2.execute("ALTER TABLE shard_02.orders ADD COLUMN quantity INT NOT NULL DEFAULT 1");
        JsonNode conflict = awaitStatus("s2 paused by the conflict", st -> subtask(st, "s2").path("stage").asString().equals("Paused"),
                false);
        String error = subtask(conflict, "s2").path("error_msg").asString();
        assertThat(error).as(conflict.toString()).contains("cannot take the DDL of source 's2'", "qty", "quantity");
        ApiClient.Response replaced = api.post("/api/v1/tasks/" + TASK + "/sources/s2/binlog",
                "{\"op\":\"replace\",\"sqls\":[\"ALTER TABLE shard_02.orders ADD COLUMN qty INT NOT NULL DEFAULT 1\"]}");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        ApiClient.Response resumed = api.post("/api/v1/tasks/" + TASK + "/resume", "{\"source_name_list\":[\"s2\"]}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        awaitStatus("the replaced DDL resolving the lock", st -> allMatch(st, s -> s.path("unresolved_ddl_lock_id").isMissingNode()
                && s.path("stage").asString().equals("Running")));
        awaitCount("the lock's column downstream", "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'merged'"
                + " AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'qty'", 1);
    }

    /** Waits until merged.orders holds exactly the rows of both shards (the sums add up: they are sums over rows). */
    private static void awaitMerged(String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String expected = "";
        String actual = "";
        while (System.nanoTime() < deadline) {
            status(true);
            List<String> cols = TableCompare.columns(UP1.instance(), "shard_01", "orders");
            if (cols.equals(TableCompare.columns(DOWN.instance(), "merged", "orders"))) {
                expected = add(sums(UP1.instance(), cols, "shard_01.orders"), sums(UP2.instance(), cols, "shard_02.orders"));
                actual = sums(DOWN.instance(), cols, "merged.orders");
                if (expected.equals(actual)) {
                    return;
                }
            }
            FullMigrationE2ETest.sleep(200);
        }
        throw new AssertionError(what + ": downstream (count|crc|md5) " + actual + ", expected " + expected + "; status "
                + status(false) + logs());
    }

    /** {@code count|sum(crc32)|sum(md5 prefix)} of the rows, in exact integers so that two shards' sums add up. */
    private static String sums(MariaDbInstance db, List<String> columns, String table) {
        String row = "CONCAT_WS('|', " + String.join(", ", columns.stream()
                .map(c -> "COALESCE(CAST(`" + c.substring(0, c.indexOf(' ')) + "` AS CHAR), '\\\\N')").toList()) + ")";
        return Sql.rows(db, "SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0), COALESCE(SUM(CAST(CONV(LEFT(MD5(" + row
                + "), 15), 16, 10) AS DECIMAL(40))), 0) FROM " + table).get(0);
    }

    private static String add(String a, String b) {
        String[] x = a.split("\\|");
        String[] y = b.split("\\|");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            out.add(new java.math.BigInteger(x[i]).add(new java.math.BigInteger(y[i])).toString());
        }
        return String.join("|", out);
    }

    private static void awaitCount(String what, String sql, long expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            status(true);
            if (Long.parseLong(Sql.rows(DOWN.instance(), sql).get(0)) == expected) {
                return;
            }
            FullMigrationE2ETest.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + WAIT + "; status " + status(false) + logs());
    }

    private static void awaitDdlStates(String what, double unsynced, double synced) {
        Map<String, Double> expected = Map.of("Un-synced", unsynced, "Synced", synced);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Double> states = Map.of();
        while (System.nanoTime() < deadline) {
            states = ddlStates();
            if (states.equals(expected)) {
                return;
            }
            FullMigrationE2ETest.sleep(200);
        }
        throw new AssertionError("dm_master_ddl_state_number of " + TASK + ": " + what + ": expected " + expected + ", got "
                + states + logs());
    }

    /** The leader's dm_master_ddl_state_number of the task, by type. */
    private static Map<String, Double> ddlStates() {
        String body = api.get("/actuator/prometheus").body();
        Map<String, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^dm_master_ddl_state_number\\{([^}]*)} (\\S+)$").matcher(body);
        while (m.find()) {
            if (m.group(1).contains("task=\"" + TASK + "\"")) {
                Matcher type = Pattern.compile("type=\"([^\"]*)\"").matcher(m.group(1));
                if (type.find()) {
                    out.put(type.group(1), Double.parseDouble(m.group(2)));
                }
            }
        }
        return out;
    }

    private static JsonNode status(boolean failOnError) {
        JsonNode st = Json.parse(api.get("/api/v1/tasks/" + TASK + "/status").body()).path("data");
        if (failOnError) {
            for (JsonNode s : st) {
                if (s.path("stage").asString().equals("Paused") && !s.path("error_msg").asString().isEmpty()) {
                    throw new AssertionError("paused with an error: " + s + logs());
                }
            }
        }
        return st;
    }

    private static JsonNode subtask(JsonNode status, String source) {
        for (JsonNode s : status) {
            if (s.path("source_name").asString().equals(source)) {
                return s;
            }
        }
        return Json.parse("{}");
    }

    private static boolean allMatch(JsonNode status, Predicate<JsonNode> p) {
        if (status.size() != 2) {
            return false;
        }
        for (JsonNode s : status) {
            if (!p.test(s)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode awaitStatus(String what, Predicate<JsonNode> condition) {
        return awaitStatus(what, condition, true);
    }

    private static JsonNode awaitStatus(String what, Predicate<JsonNode> condition, boolean failOnError) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode st = null;
        while (System.nanoTime() < deadline) {
            st = status(failOnError);
            if (condition.test(st)) {
                return st;
            }
            FullMigrationE2ETest.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + WAIT + ": " + st + logs());
    }

    private static String logs() {
        StringBuilder sb = new StringBuilder();
        for (WorkerProcess w : workers) {
            sb.append("\n--- ").append(w.label()).append(" log:\n").append(w.tail());
        }
        sb.append("\n--- master log:\n").append(cluster.masters().get(0).tail());
        return sb.toString();
    }
}
