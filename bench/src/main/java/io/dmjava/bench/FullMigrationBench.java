package io.dmjava.bench;

import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import io.dmjava.testsupport.service.ServiceProcess;
import io.dmjava.testsupport.service.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full migration of N GB of sysbench tables, timed three ways into the same downstream with the same
 * thread count: a DM for Java {@code full} task, mydumper + myloader, and a plain parallel
 * {@code LOAD DATA LOCAL INFILE} of the same rows (the downstream's own limit). Prints MB/s, rows/s and
 * the ratios. Sizes are the upstream's InnoDB data length, the same basis for all three.
 *
 * <p>Also prints the CPU-seconds (user + system) each process spent on each contender's run ({@link CpuSeconds}):
 * the servers, the DM master (with its embedded etcd) and worker JVMs, mydumper and myloader, and this JVM (the
 * client of the plain load, the status poller for DM). The machine is CPU-bound (2 cores) and often shared, so
 * these, not the wall times, are the figures to compare between runs.
 *
 * <p>Options: {@code --dm-jvm test} (default: the harness's quick-JIT small-heap flags, as every earlier figure was
 * measured) or {@code deployed} (the images' options: the optimising JIT and G1; about the same CPU with the 1 s
 * status poll, far more with a 100 ms one, which got the status path compiled by C2); {@code --jfr DIR}: flight recordings of the DM JVMs during the timed
 * run ({@code jfr print --events jdk.ExecutionSample DIR/worker.jfr}).
 */
public final class FullMigrationBench {
    private FullMigrationBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv, Map.of("gb", "1", "threads", "4", "tables", "8", "dm-jvm", "test",
                "jfr", ""));
        double gb = Double.parseDouble(args.get("gb"));
        int threads = Integer.parseInt(args.get("threads"));
        int tables = Integer.parseInt(args.get("tables"));
        long rowsPerTable = Math.max(1000, (long) (gb * 1e9 / 230 / tables));
        Path dir = ProcessLauncher.createTempDir("dm-bench");
        try (MariaDbInstance up = MariaDbInstance.startUpstream(); MariaDbInstance down = MariaDbInstance.startDownstream()) {
            System.out.printf("Preparing %d sysbench tables x %,d rows in the upstream ...%n", tables, rowsPerTable);
            Peers.sysbenchPrepare(up, tables, rowsPerTable, threads);
            long rows = (long) tables * rowsPerTable;
            double mb = Peers.dataMegabytes(up, "sbtest");
            System.out.printf("Data: %,d rows, %.1f MB (InnoDB data length); threads %d%n%n", rows, mb, threads);

            Map<String, CpuSeconds> cpu = new LinkedHashMap<>();
            cpu.put("DM full task", servers(up, down));
            double dm = runDm(up, down, threads, dir, cpu.get("DM full task"), dmJvmFlags(args.get("dm-jvm")), args.get("jfr"));
            Peers.verify(up, down, "sbtest", tables);
            down.execute("DROP DATABASE sbtest", "DROP DATABASE IF EXISTS dm_meta");

            cpu.put("mydumper+myloader", servers(up, down).start());
            Peers.Timing my = Peers.mydumperMyloader(up, down, threads, dir.resolve("mydumper"), cpu.get("mydumper+myloader"));
            cpu.get("mydumper+myloader").stop();
            Peers.verify(up, down, "sbtest", tables);

            cpu.put("plain LOAD DATA", servers(up, down));
            double loadData = Peers.plainLoadData(up, down, tables, threads, dir.resolve("tsv"), cpu.get("plain LOAD DATA"));

            System.out.println();
            System.out.printf("%-34s %10s %12s %14s%n", "", "seconds", "MB/s", "rows/s");
            line("DM for Java full task (dump+load)", dm, mb, rows);
            line("mydumper + myloader", my.total(), mb, rows);
            line("  mydumper (dump only)", my.dump(), mb, rows);
            line("  myloader (load only)", my.load(), mb, rows);
            line("plain parallel LOAD DATA (load)", loadData, mb, rows);
            System.out.printf("%nRatio DM vs mydumper+myloader: %.2fx (goal >= 1.5x)%n", my.total() / dm);
            System.out.printf("Ratio DM vs plain LOAD DATA (load only, the downstream's limit): %.2fx%n", loadData / dm);
            System.out.println();
            CpuSeconds.printTable(cpu);
            System.out.printf("%nRatio of total CPU-seconds, mydumper+myloader / DM: %.2fx%n",
                    cpu.get("mydumper+myloader").total() / cpu.get("DM full task").total());
        } finally {
            ProcessLauncher.deleteTempDir(dir);
        }
        System.exit(0);
    }

    /** The processes every contender uses: both servers and this JVM. */
    private static CpuSeconds servers(MariaDbInstance up, MariaDbInstance down) {
        return new CpuSeconds().watch("upstream mariadbd", up.process().pid())
                .watch("downstream mariadbd", down.process().pid())
                .watch("bench JVM (client/poller)", ProcessHandle.current().pid());
    }

    /**
     * {@code deployed}: what the images run the services with (the JVM's default JIT and collector; the images'
     * JAVA_TOOL_OPTIONS): what users get. {@code test}: the harness's small-heap quick-JIT flags, the basis of
     * the earlier figures.
     */
    private static List<String> dmJvmFlags(String mode) {
        return switch (mode) {
            case "deployed" -> List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
            case "test" -> ServiceProcess.TEST_JVM_FLAGS;
            default -> throw new IllegalArgumentException("--dm-jvm is deployed or test, not " + mode);
        };
    }

    private static double runDm(MariaDbInstance up, MariaDbInstance down, int threads, Path dir, CpuSeconds cpu,
                                List<String> jvmFlags, String jfrDir) throws Exception {
        try (DmCluster cluster = DmCluster.start(1, dir.resolve("dm"), List.of(), jvmFlags, Duration.ofSeconds(120))) {
            WorkerProcess worker = cluster.startWorker("bench-worker", List.of("--dm.worker.keepalive-ttl=10s"),
                    Duration.ofSeconds(120));
            MasterProcess master = cluster.masters().get(0);
            cpu.watch("DM worker JVM", worker.process().pid())
                    .watch("DM master JVM", master.process().pid())
                    .watch("DM master's etcd", Long.parseLong(Files.readString(master.etcdPidFile()).trim()));
            ApiClient api = master.api();
            expect(api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"up\",\"host\":\"127.0.0.1\",\"port\":"
                    + up.port() + ",\"user\":\"root\",\"password\":\"\"}}"), 201);
            expect(api.post("/api/v1/tasks", "{\"task\":{\"name\":\"bench\",\"task_mode\":\"full\","
                    + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                    + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"up\",\"schema\":\"sbtest\",\"table\":\"*\"}}],"
                    + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":" + threads + ",\"import_threads\":" + threads + "},"
                    + "\"source_conf\":[{\"source_name\":\"up\"}]}}}"), 201);
            awaitBound(api);
            if (!jfrDir.isEmpty()) {
                Jfr.start(worker.process().pid(), master.process().pid());
            }
            cpu.start();
            long t0 = System.nanoTime();
            expect(api.post("/api/v1/tasks/bench/start", "{}"), 200);
            String last = "";
            while (!last.contains("\"stage\":\"Finished\"")) {
                last = api.get("/api/v1/tasks/bench/status").body();
                if (last.contains("\"stage\":\"Paused\"")) {
                    throw new IllegalStateException("the task paused: " + last);
                }
                // Each status call costs the master, etcd and the worker some CPU, which this run counts: a
                // 100 ms poll throughout cost ~5 CPU-seconds. So once a second until the last chunk is loaded,
                // then every 100 ms for the tail (index builds), so the end is still timed to 0.1 s.
                int load = last.indexOf("\"load_status\"");
                sleep(load >= 0 && last.indexOf("\"progress\":\"100.00 %\"", load) > 0 ? 100 : 1000);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            cpu.stop();
            if (!jfrDir.isEmpty()) {
                Jfr.stop(Path.of(jfrDir), Map.of("worker", worker.process().pid(), "master", master.process().pid()));
            }
            System.out.printf("DM for Java: %.1f s; final status %s%n", s, last);
            return s;
        }
    }

    private static void awaitBound(ApiClient api) {
        for (int i = 0; i < 300; i++) {
            if (!api.get("/api/v1/sources/up/status").body().contains("\"worker_name\":\"\"")) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("source never bound");
    }

    private static void expect(ApiClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + " but got " + r.status() + ": " + r.body());
        }
    }

    private static void line(String what, double seconds, double mb, long rows) {
        System.out.printf("%-34s %10.1f %12.1f %,14.0f%n", what, seconds, mb / seconds, rows / seconds);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
