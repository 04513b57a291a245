package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import io.dmjava.testsupport.service.ServiceProcess;
import io.dmjava.testsupport.service.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The chaos test (docs/ha.md, "Chaos test"): 3 masters (each with its etcd member), 3 workers, 2 upstream MariaDB
 * sources and 1 downstream, one {@code all} task over both sources, a writer on each source (inserts, updates, key
 * changes, deletes on several tables, DDL in between), and random faults from a seeded {@link Random}: SIGKILL of a
 * worker, of the leader master or of a follower (each restarted), SIGSTOP of a worker past its keepalive TTL, a
 * restart of the downstream server, and KILL of the upstreams' binlog dump threads. After each fault it measures
 * how long until every subtask runs again past the upstream position of the fault, and until the cluster is whole
 * (the restarted process back, every live master answering); a REST poller records the longest time any live master
 * answered only errors. At the end the writes stop, the task catches up, and every table must match.
 *
 * <p>Short by default (8 faults, every kind at least once). Longer: {@code -Dchaos.faults=100} and/or
 * {@code -Dchaos.minutes=30}; {@code -Dchaos.seed=N} replays a run's choices (scripts/chaos.sh).
 */
class ChaosE2ETest {
    @RegisterExtension
    static final MariaDbExtension UP1 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension UP2 = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    enum Kind { WORKER_KILL, LEADER_KILL, FOLLOWER_KILL, WORKER_STOP, DOWNSTREAM_RESTART, BINLOG_KILL }

    private static final Duration START = Duration.ofSeconds(180);
    /** Bounded waits, generous: other builds share the two cores. Never a timing assertion. */
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final int TTL_SECONDS = 3;
    private static final List<String> WORKER_ARGS = List.of("--dm.worker.keepalive-ttl=" + TTL_SECONDS + "s",
            "--dm.worker.sync.checkpoint-flush-interval=1s");
    private static final String TASK = "chaos";
    private static final List<String> SOURCES = List.of("s1", "s2");

    private static final Path PROGRESS = Path.of("target", "chaos-progress.log");
    private static DmCluster cluster;
    private static final List<WorkerProcess> workers = new ArrayList<>();
    private static final List<ChaosWriter> writers = new ArrayList<>();
    private static ApiWatch watch;

    private final long seed = Long.getLong("chaos.seed", System.currentTimeMillis());
    private final Random random = new Random(seed);
    private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
    private final List<String> ddls = new ArrayList<>();
    private double longestRecovery;
    private String longestRecoveryAt = "";
    private double longestWhole;
    private String longestWholeAt = "";

    /** Something to do at a given time after the fault, e.g. restart what was killed. */
    private record Step(long afterMillis, Runnable action) {
    }

    /** An injected fault: what it hit, what follows it, and when the cluster counts as whole again. */
    private record Fault(String detail, List<Step> steps, BooleanSupplier whole) {
    }

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(3, List.of(), START);
        workers.addAll(IntStream.rangeClosed(1, 3).parallel().mapToObj(i -> cluster.startWorker("cw" + i, WORKER_ARGS, START))
                .sorted(Comparator.comparing(WorkerProcess::name)).toList());
        watch = new ApiWatch(cluster);
        watch.start();
        ChaosWriter.createSchema(UP1.instance(), "c1");
        ChaosWriter.createSchema(UP2.instance(), "c2");
    }

    @AfterAll
    static void stop() {
        writers.forEach(ChaosWriter::close);
        if (watch != null) {
            watch.close();
        }
        workers.forEach(w -> {
            if (w.isAlive()) {
                w.resume(); // never leave a frozen process behind
            }
        });
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void replicationSurvivesRandomFaultsWithoutDivergence() {
        long began = System.nanoTime();
        try {
            run(began);
        } finally {
            saveLogs(); // also after a pass: what recovered how is in the workers' and masters' logs
        }
    }

    private void run(long began) {
        int faults = Integer.getInteger("chaos.faults", Long.getLong("chaos.minutes", 0) > 0 ? Integer.MAX_VALUE : 8);
        long minutes = Long.getLong("chaos.minutes", 0);
        log("seed %d (replay with -Dchaos.seed=%d), faults %s, minutes %s", seed, seed,
                faults == Integer.MAX_VALUE ? "unbounded" : faults, minutes == 0 ? "unbounded" : minutes);
        setUpTask();
        List<Kind> plan = new ArrayList<>(List.of(Kind.values()));
        Collections.shuffle(plan, random); // every kind once first, then at random
        long end = minutes == 0 ? Long.MAX_VALUE : began + Duration.ofMinutes(minutes).toNanos();
        int done = 0;
        for (; done < faults && System.nanoTime() < end; done++) {
            Kind kind = done < plan.size() ? plan.get(done) : Kind.values()[random.nextInt(Kind.values().length)];
            inject(done + 1, kind);
            FullMigrationE2ETest.sleep(1000 + random.nextInt(2000)); // calm: the writers go on
        }
        verifyAtTheEnd(done, began);
    }

    private void setUpTask() {
        ApiClient api = anyMaster();
        for (int i = 0; i < SOURCES.size(); i++) {
            MariaDbInstance up = i == 0 ? UP1.instance() : UP2.instance();
            ApiClient.Response r = api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"" + SOURCES.get(i)
                    + "\",\"host\":\"127.0.0.1\",\"port\":" + up.port() + ",\"user\":\"root\",\"password\":\"\"}}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        String task = "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"all\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"c1\",\"table\":\"*\"}},"
                + "{\"source\":{\"source_name\":\"s2\",\"schema\":\"c2\",\"table\":\"*\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"s1\"},{\"source_name\":\"s2\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        writers.add(new ChaosWriter(UP1.instance(), "c1", seed + 1));
        writers.add(new ChaosWriter(UP2.instance(), "c2", seed + 2));
        writers.forEach(ChaosWriter::start);
        ApiClient.Response started = api.post("/api/v1/tasks/" + TASK + "/start", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        long t0 = System.nanoTime();
        BooleanSupplier past = replicatedPast(positions());
        await("both subtasks streaming in the sync unit past the first positions", () -> past.getAsBoolean()
                && Json.parse(taskStatus()).findValues("total_events").stream().filter(n -> n.asLong() > 0).count() == SOURCES.size());
        log("task %s syncing both sources %.1f s after start", TASK, secondsSince(t0));
    }

    private void inject(int n, Kind kind) {
        boolean ddlDuringRecovery = random.nextBoolean();
        String[][] at = positions();
        watch.mark();
        String leaderBefore = watch.leader();
        int rebindsBefore = watch.rebinds();
        long t0 = System.nanoTime();
        Fault fault = switch (kind) {
            case WORKER_KILL -> killWorker();
            case WORKER_STOP -> freezeWorker();
            case LEADER_KILL -> killMaster(cluster.awaitLeader(WAIT, ""));
            case FOLLOWER_KILL -> killMaster(follower());
            case DOWNSTREAM_RESTART -> restartDownstream();
            case BINLOG_KILL -> killBinlogDumps();
        };
        injected.merge(kind, 1, Integer::sum);
        if (ddlDuringRecovery) {
            ddl();
        }
        BooleanSupplier replicated = replicatedPast(at);
        List<Step> steps = new ArrayList<>(fault.steps());
        double recovered = -1;
        double whole = -1;
        long deadline = t0 + WAIT.toNanos();
        while (System.nanoTime() < deadline && (recovered < 0 || whole < 0)) {
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            for (Step s : List.copyOf(steps)) {
                if (s.afterMillis() <= elapsed) {
                    s.action().run();
                    steps.remove(s);
                }
            }
            writers.forEach(ChaosWriter::throwIfFailed);
            if (recovered < 0 && replicated.getAsBoolean()) {
                recovered = secondsSince(t0);
            }
            if (whole < 0 && steps.isEmpty() && fault.whole().getAsBoolean() && everyLiveMasterAnswers()) {
                whole = secondsSince(t0);
            }
            FullMigrationE2ETest.sleep(100);
        }
        String what = "#" + n + " " + kind + " (" + fault.detail() + ")";
        if (recovered < 0 || whole < 0) {
            throw new AssertionError("no recovery from fault " + what + " within " + WAIT + " (replicating past the fault's"
                    + " positions: " + (recovered >= 0) + ", cluster whole: " + (whole >= 0) + "); task status: " + taskStatus()
                    + "\nworkers: " + anyMaster().get("/api/v1/cluster/workers").body() + tails());
        }
        if (!ddlDuringRecovery && random.nextBoolean()) {
            ddl();
        }
        if (recovered > longestRecovery) {
            longestRecovery = recovered;
            longestRecoveryAt = what;
        }
        if (whole > longestWhole) {
            longestWhole = whole;
            longestWholeAt = what;
        }
        log("fault %s: replicating past it after %.1f s, cluster whole after %.1f s, longest API error window %d ms;"
                + " leader %s -> %s, %d source rebinds", what, recovered, whole, watch.longestSinceMark(), leaderBefore, watch.leader(),
                watch.rebinds() - rebindsBefore);
    }

    private void ddl() {
        ChaosWriter w = writers.get(random.nextInt(writers.size()));
        String sql = w.ddl();
        ddls.add(sql);
        log("DDL: %s", sql);
    }

    private Fault killWorker() {
        WorkerProcess w = boundWorker();
        w.kill();
        long restartAfter = 500 + random.nextInt(3000);
        return new Fault(w.name() + ", restarted after " + restartAfter + " ms", List.of(new Step(restartAfter, w::launch)),
                () -> registered(w));
    }

    private Fault freezeWorker() {
        WorkerProcess w = boundWorker();
        w.suspend();
        long contAfter = TTL_SECONDS * 1000L + 1000 + random.nextInt(3000);
        return new Fault(w.name() + ", SIGCONT after " + contAfter + " ms", List.of(new Step(contAfter, w::resume)),
                () -> registered(w));
    }

    private Fault killMaster(MasterProcess m) {
        String role = m.name().equals(watch.leader()) ? "leader " : "";
        watch.down(m.name());
        m.kill();
        long restartAfter = 500 + random.nextInt(3000);
        return new Fault(role + m.name() + ", restarted after " + restartAfter + " ms", List.of(new Step(restartAfter, m::launch)),
                () -> {
                    if (m.isAlive() && m.api().get("/actuator/health").status() == 200) {
                        watch.up(m.name());
                        return true;
                    }
                    return false;
                });
    }

    private Fault restartDownstream() {
        MariaDbInstance down = DOWN.instance();
        boolean crash = random.nextBoolean();
        if (crash) {
            down.kill();
        } else {
            down.stop();
        }
        long restartAfter = random.nextInt(3000);
        return new Fault((crash ? "SIGKILL" : "shutdown") + ", restarted after " + restartAfter + " ms",
                List.of(new Step(restartAfter, down::restart)), () -> true);
    }

    /** KILLs the binlog dump threads on both upstreams (waits a little for one to appear: a stream may be reconnecting). */
    private Fault killBinlogDumps() {
        int killed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (killed == 0 && System.nanoTime() < deadline) {
            for (MariaDbInstance up : List.of(UP1.instance(), UP2.instance())) {
                for (String id : Sql.rows(up, "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
                    try {
                        up.execute("KILL CONNECTION " + id);
                        killed++;
                    } catch (IllegalStateException gone) {
                        // it ended by itself meanwhile
                    }
                }
            }
            if (killed == 0) {
                FullMigrationE2ETest.sleep(200);
            }
        }
        return new Fault(killed + " binlog dump connections killed", List.of(), () -> true);
    }

    private MasterProcess follower() {
        MasterProcess leader = cluster.awaitLeader(WAIT, "");
        List<MasterProcess> others = cluster.masters().stream().filter(m -> m != leader && m.isAlive()).toList();
        return others.get(random.nextInt(others.size()));
    }

    /** A worker bound to a source, at random (killing the spare would test little). */
    private WorkerProcess boundWorker() {
        List<WorkerProcess> bound = new ArrayList<>();
        for (JsonNode w : Json.parse(anyMaster().get("/api/v1/cluster/workers").body()).path("data")) {
            if ("bound".equals(w.path("bound_stage").asString())) {
                workers.stream().filter(p -> p.name().equals(w.path("name").asString()) && p.isAlive()).forEach(bound::add);
            }
        }
        List<WorkerProcess> from = bound.isEmpty() ? workers.stream().filter(ServiceProcess::isAlive).toList() : bound;
        return from.get(random.nextInt(from.size()));
    }

    /** The worker answers and the masters see it alive again. */
    private boolean registered(WorkerProcess w) {
        if (!w.isAlive() || w.api().get("/actuator/health").status() != 200) {
            return false;
        }
        for (JsonNode n : Json.parse(anyMaster().get("/api/v1/cluster/workers").body()).path("data")) {
            if (n.path("name").asString().equals(w.name())) {
                return !"offline".equals(n.path("bound_stage").asString());
            }
        }
        return false;
    }

    private boolean everyLiveMasterAnswers() {
        for (String name : watch.liveMasters()) {
            if (cluster.master(name).api().get("/api/v1/cluster/workers").status() != 200) {
                return false;
            }
        }
        return true;
    }

    /** Every subtask Running in the sync unit with its position at or past its source's {@code positions}. */
    private BooleanSupplier replicatedPast(String[][] positions) {
        return () -> {
            JsonNode data = Json.parse(taskStatus()).path("data");
            int ok = 0;
            for (JsonNode s : data) {
                int i = SOURCES.indexOf(s.path("source_name").asString());
                if (i >= 0 && s.path("stage").asString().equals("Running") && s.path("unit").asString().equals("sync")
                        && IncrementalReplicationE2ETest.atOrPast(s.path("sync_status").path("syncer_binlog").asString(), positions[i])) {
                    ok++;
                }
            }
            return ok == SOURCES.size();
        };
    }

    private void verifyAtTheEnd(int faults, long began) {
        writers.forEach(ChaosWriter::close);
        writers.forEach(ChaosWriter::throwIfFailed);
        String[][] at = positions();
        long t0 = System.nanoTime();
        await("both subtasks synced at the final positions", () -> {
            if (!replicatedPast(at).getAsBoolean()) {
                return false;
            }
            for (JsonNode s : Json.parse(taskStatus()).path("data")) {
                if (!s.path("sync_status").path("synced").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
        double catchUp = secondsSince(t0);
        long diverged = 0;
        long rows = 0;
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            MariaDbInstance up = i == 0 ? UP1.instance() : UP2.instance();
            for (String t : writers.get(i).tables()) {
                long d = TableCompare.divergedRows(up, t, DOWN.instance(), t);
                diverged += d;
                rows += Sql.count(up, t);
                if (d > 0) {
                    differences.add(TableCompare.difference(up, List.of(t), DOWN.instance(), t));
                }
            }
        }
        JsonNode status = Json.parse(taskStatus()).path("data");
        ApiWatch.Window gap = watch.longest();
        watch.close();
        long transactions = writers.stream().mapToLong(ChaosWriter::transactions).sum();
        log("SUMMARY seed %d: %d faults in %.0f s %s; %d DDL; %d writer transactions, %d rows in %d tables",
                seed, faults, secondsSince(began), injected, ddls.size(), transactions, rows,
                writers.stream().mapToInt(w -> w.tables().size()).sum());
        log("SUMMARY failovers: %d source rebinds, %d leader changes (seen by %d API requests)", watch.rebinds(),
                watch.leaderChanges(), watch.requests());
        log("SUMMARY longest recovery (every subtask replicating past the fault): %.1f s at %s", longestRecovery, longestRecoveryAt);
        log("SUMMARY longest until the cluster was whole (restarted process back, every live master answering): %.1f s at %s",
                longestWhole, longestWholeAt);
        log("SUMMARY longest API unavailability through a live master: %d ms (%s, last status %d)", gap.millis(),
                gap.master().isEmpty() ? "none" : gap.master(), gap.lastStatus());
        log("SUMMARY caught up %.1f s after the writes stopped; rows diverged: %d", catchUp, diverged);
        assertThat(differences).as("tables that differ").isEmpty();
        assertThat(diverged).as("rows diverged").isZero();
        assertThat(status.size()).isEqualTo(SOURCES.size());
        for (JsonNode s : status) {
            assertThat(s.path("stage").asString()).as("stage of %s", s).isEqualTo("Running");
        }
    }

    /** {file, pos} of each source now. */
    private static String[][] positions() {
        String[][] at = new String[2][];
        int i = 0;
        for (MariaDbInstance up : List.of(UP1.instance(), UP2.instance())) {
            String[] row = Sql.rows(up, "SHOW MASTER STATUS").get(0).split("\\|");
            at[i++] = new String[] {row[0], row[1]};
        }
        return at;
    }

    /** The task's status through the first live master that answers ("{}" when none does). */
    private static String taskStatus() {
        for (String name : watch.liveMasters()) {
            ApiClient.Response r = cluster.master(name).api().get("/api/v1/tasks/" + TASK + "/status");
            if (r.status() == 200) {
                return r.body();
            }
        }
        return "{}";
    }

    private static ApiClient anyMaster() {
        for (String name : watch == null ? List.of(cluster.masters().get(0).name()) : watch.liveMasters()) {
            MasterProcess m = cluster.master(name);
            if (m.isAlive() && m.api().get("/api/v1/cluster/masters").status() == 200) {
                return m.api();
            }
        }
        return cluster.awaitLeader(WAIT, "").api();
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            writers.forEach(ChaosWriter::throwIfFailed);
            if (condition.getAsBoolean()) {
                return;
            }
            FullMigrationE2ETest.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + WAIT + "; task status: " + taskStatus() + tails());
    }

    private static String tails() {
        StringBuilder sb = new StringBuilder();
        workers.forEach(w -> sb.append("\n--- ").append(w.name()).append(" log:\n").append(w.tail()));
        return sb.toString();
    }

    /** Copies every process log to target/chaos-logs (the cluster's dir is deleted with the harness's temp dirs). */
    private static void saveLogs() {
        Path to = Path.of("target", "chaos-logs");
        try (Stream<Path> logs = Files.walk(cluster.workDir(), 2)) {
            Files.createDirectories(to);
            for (Path p : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            log("logs copied to %s", to.toAbsolutePath());
        } catch (IOException e) {
            log("cannot copy the logs: %s", e);
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** To stdout, and to target/chaos-progress.log at once (surefire's output file can lag, a long run is watched there). */
    private static void log(String format, Object... args) {
        String line = String.format("CHAOS: " + format + "%n", args);
        System.out.print(line);
        try {
            Files.writeString(PROGRESS, java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("CHAOS: cannot write " + PROGRESS + ": " + e);
        }
    }
}
