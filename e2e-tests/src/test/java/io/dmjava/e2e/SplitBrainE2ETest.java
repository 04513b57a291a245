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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * No split brain (docs/ha.md), with a real master, two real workers and MariaDB up- and downstream: the worker
 * replicating an {@code all} task is frozen (SIGSTOP) past its keepalive TTL while a writer keeps changing the
 * upstream; the source is rebound to the other worker, which claims it downstream and applies; then the frozen
 * worker is let go (SIGCONT) while the writes go on. The workers count their committed downstream transactions
 * per owner token ({@code dm.worker.fence-audit}): the old token's count must not move after the new owner's
 * claim, the old worker's log must show it fenced itself, and every table must match at the end.
 */
class SplitBrainE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final List<String> WORKER_ARGS = List.of("--dm.worker.keepalive-ttl=3s",
            "--dm.worker.sync.checkpoint-flush-interval=1s", "--dm.worker.fence-audit=true");
    private static final List<String> TABLES = List.of("ha.items", "ha.events");
    private static final int ROWS = 20_000;

    private static DmCluster cluster;
    private static ApiClient api;
    private static WorkerProcess first;
    private static WorkerProcess second;
    private static Writer writer;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        api = cluster.masters().get(0).api();
        first = cluster.startWorker("ha-w1", WORKER_ARGS, START);
        UP.instance().execute("CREATE DATABASE ha",
                "CREATE TABLE ha.items (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(32) CHARACTER SET utf8mb4)",
                "CREATE TABLE ha.events (src INT, msg VARCHAR(32))",
                "INSERT INTO ha.items SELECT seq, seq % 1000, CONCAT('n', seq) FROM mysql.seq_1_to_" + ROWS);
        writer = new Writer(UP.instance(), ROWS);
    }

    @AfterAll
    static void stop() {
        if (writer != null) {
            writer.close();
        }
        if (first != null) {
            first.resume(); // never leave a frozen process behind
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWorkerFrozenPastItsTtlCommitsNothingAfterItsSourceWasTakenOver() {
        ApiClient.Response source = api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"s1\",\"host\":\"127.0.0.1\","
                + "\"port\":" + UP.instance().port() + ",\"user\":\"root\",\"password\":\"\"}}");
        assertThat(source.status()).as(source.body()).isEqualTo(201);
        await("s1 bound to ha-w1", () -> "ha-w1".equals(boundWorker()));
        second = cluster.startWorker("ha-w2", WORKER_ARGS, START); // free: the one the source moves to
        String task = "{\"task\":{\"name\":\"ha\",\"task_mode\":\"all\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"ha\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"s1\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        writer.start();
        assertThat(api.post("/api/v1/tasks/ha/start", "{}").status()).isEqualTo(200);
        await("ha-w1 syncing the writer's changes", () -> {
            JsonNode s = subtask();
            return s.path("worker_name").asString().equals("ha-w1") && s.path("unit").asString().equals("sync")
                    && s.path("sync_status").path("total_events").asLong() > 500;
        });
        long oldToken = token();
        long oldBefore = commitsOf(oldToken);
        assertThat(oldBefore).as("ha-w1's audited commits under token %d", oldToken).isPositive();

        first.suspend(); // SIGSTOP: maybe between a transaction's fence check and its COMMIT
        long frozenAt = System.nanoTime();
        await("s1 rebound to ha-w2", () -> "ha-w2".equals(boundWorker()));
        double rebound = secondsSince(frozenAt);
        await("ha-w2 claiming s1 downstream", () -> token() > oldToken);
        long newToken = token();
        long oldAtClaim = commitsOf(oldToken);
        await("ha-w2 applying", () -> commitsOf(newToken) > 0);
        log("SIGSTOP of ha-w1; s1 rebound to ha-w2 after %.1f s; token %d -> %d; ha-w1 committed %d transactions under"
                + " its token, ha-w2 applies (%.1f s after the freeze)", rebound, oldToken, newToken, oldAtClaim, secondsSince(frozenAt));

        first.resume(); // SIGCONT: its threads run on from wherever they were frozen
        long resumedAt = System.nanoTime();
        long newAtResume = commitsOf(newToken);
        // offline since its lease expired while it was frozen (that is why s1 moved), free once it registered again
        await("ha-w1 registered again", () -> "free".equals(stage("ha-w1")));
        await("ha-w2 applying 200 more transactions after ha-w1 came back", () -> commitsOf(newToken) >= newAtResume + 200);
        writer.hold();
        awaitSynced();
        String w1log = first.tail();
        List<String> differences = new ArrayList<>();
        for (String t : TABLES) {
            String diff = TableCompare.difference(UP.instance(), List.of(t), DOWN.instance(), t);
            if (diff != null) {
                differences.add(diff);
            }
        }
        long oldAtEnd = commitsOf(oldToken);
        log("after SIGCONT: ha-w1 registered again %.1f s later; ha-w1 commits under token %d: %d at the claim, %d at the end;"
                        + " ha-w2 commits under token %d: %d; %d writer transactions; tables %s: %d differences",
                secondsSince(resumedAt), oldToken, oldAtClaim, oldAtEnd, newToken, commitsOf(newToken), writer.transactions(),
                TABLES, differences.size());
        w1log.lines().filter(l -> l.contains("fenced") || l.contains("lease") || l.contains("stopping every subtask")
                || l.contains("new epoch")).limit(12).forEach(l -> log("ha-w1: %s", l));
        second.tail().lines().filter(l -> l.contains("owner token") || l.contains("killing")).forEach(l -> log("ha-w2: %s", l));
        assertThat(differences).as("differences").isEmpty();
        assertThat(oldAtEnd).as("ha-w1's commits under its old token after ha-w2's claim").isEqualTo(oldAtClaim);
        assertThat(w1log).as("ha-w1 fenced itself after SIGCONT").containsPattern("fenced|stopping every subtask");
        assertThat(subtask().path("worker_name").asString()).isEqualTo("ha-w2");
        writer.throwIfFailed();
    }

    private static String boundWorker() {
        JsonNode data = Json.parse(api.get("/api/v1/sources/s1/status").body()).path("data");
        for (JsonNode n : data) {
            return n.path("worker_name").asString();
        }
        return "";
    }

    private static String stage(String worker) {
        for (JsonNode w : Json.parse(api.get("/api/v1/cluster/workers").body()).path("data")) {
            if (w.path("name").asString().equals(worker)) {
                return w.path("bound_stage").asString();
            }
        }
        return "absent";
    }

    private static JsonNode subtask() {
        return Json.parse(api.get("/api/v1/tasks/ha/status").body()).path("data").path(0);
    }

    private static long token() {
        List<String> r = Sql.rows(DOWN.instance(), "SELECT token FROM dm_meta.ha_owner WHERE source = 's1'");
        return r.isEmpty() ? 0 : Long.parseLong(r.get(0));
    }

    private static long commitsOf(long token) {
        return Long.parseLong(Sql.rows(DOWN.instance(), "SELECT COALESCE(SUM(commits), 0) FROM dm_meta.ha_owner_commits"
                + " WHERE source = 's1' AND token = " + token).get(0));
    }

    /** Waits until the task's sync has applied everything up to the upstream's current position. */
    private static void awaitSynced() {
        String[] pos = Sql.rows(UP.instance(), "SHOW MASTER STATUS").get(0).split("\\|");
        String at = "(" + pos[0] + ", " + pos[1] + ")";
        await("synced at " + at, () -> {
            JsonNode s = subtask().path("sync_status");
            return s.path("synced").asBoolean() && s.path("syncer_binlog").asString().startsWith(at);
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            writer.throwIfFailed();
            if (condition.getAsBoolean()) {
                return;
            }
            FullMigrationE2ETest.sleep(100);
        }
        Supplier<String> logs = () -> "\nha-w1 log:\n" + first.tail() + (second == null ? "" : "\nha-w2 log:\n" + second.tail());
        throw new AssertionError("no " + what + " within " + WAIT + "; task status: " + api.get("/api/v1/tasks/ha/status").body()
                + logs.get());
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("SPLIT BRAIN E2E: " + format + "%n", args);
    }

    /** Small random transactions on {@code ha.items} (inserts, updates, key changes, deletes) and {@code ha.events}. */
    private static final class Writer implements AutoCloseable {
        private final MariaDbInstance db;
        private final Thread thread;
        private final Random random = new Random(7);
        private final AtomicLong transactions = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Object gate = new Object();
        private volatile boolean running = true;
        private volatile boolean held;
        private long nextId;

        Writer(MariaDbInstance db, long rows) {
            this.db = db;
            this.nextId = rows + 1;
            this.thread = new Thread(this::loop, "ha-writer");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        long transactions() {
            return transactions.get();
        }

        /** Returns once no transaction runs and none will start. */
        void hold() {
            synchronized (gate) {
                held = true;
            }
        }

        void throwIfFailed() {
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError("the writer failed", t);
            }
        }

        private void loop() {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (long i = 0; i < 10_000_000 && running; i++) {
                    synchronized (gate) {
                        if (held) {
                            return;
                        }
                        for (int k = 0; k < 1 + random.nextInt(4); k++) {
                            st.executeUpdate(next());
                        }
                        c.commit();
                    }
                    transactions.incrementAndGet();
                    Thread.sleep(3);
                }
            } catch (SQLException | RuntimeException e) {
                failure.set(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String next() {
            long id = 1 + (long) random.nextInt((int) nextId);
            return switch (random.nextInt(6)) {
                case 0, 1 -> "INSERT INTO ha.items VALUES (" + nextId++ + ", " + random.nextInt(1000) + ", 'w" + nextId + "')";
                case 2 -> "UPDATE ha.items SET v = v + 1, note = CONCAT(LEFT(COALESCE(note, ''), 20), '+') WHERE id = " + id;
                case 3 -> "UPDATE ha.items SET id = " + nextId++ + " WHERE id = " + id; // a primary key change
                case 4 -> "DELETE FROM ha.items WHERE id = " + id;
                default -> "INSERT INTO ha.events VALUES (" + random.nextInt(5) + ", 'e" + random.nextInt(100) + "')";
            };
        }

        @Override
        public void close() {
            running = false;
            hold();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
