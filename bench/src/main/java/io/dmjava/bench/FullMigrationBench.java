package io.dmjava.bench;

import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Full migration of N GB of sysbench tables, timed three ways into the same downstream with the same
 * thread count: a DM for Java {@code full} task, mydumper + myloader, and a plain parallel
 * {@code LOAD DATA LOCAL INFILE} of the same rows (the downstream's own limit). Prints MB/s, rows/s and
 * the ratios. Sizes are the upstream's InnoDB data length, the same basis for all three.
 */
public final class FullMigrationBench {
    private FullMigrationBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv, Map.of("gb", "1", "threads", "4", "tables", "8"));
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

            double dm = runDm(up, down, threads, dir);
            Peers.verify(up, down, "sbtest", tables);
            down.execute("DROP DATABASE sbtest", "DROP DATABASE IF EXISTS dm_meta");

            Peers.Timing my = Peers.mydumperMyloader(up, down, threads, dir.resolve("mydumper"));
            Peers.verify(up, down, "sbtest", tables);

            double loadData = Peers.plainLoadData(up, down, tables, threads, dir.resolve("tsv"));

            System.out.println();
            System.out.printf("%-34s %10s %12s %14s%n", "", "seconds", "MB/s", "rows/s");
            line("DM for Java full task (dump+load)", dm, mb, rows);
            line("mydumper + myloader", my.total(), mb, rows);
            line("  mydumper (dump only)", my.dump(), mb, rows);
            line("  myloader (load only)", my.load(), mb, rows);
            line("plain parallel LOAD DATA (load)", loadData, mb, rows);
            System.out.printf("%nRatio DM vs mydumper+myloader: %.2fx (goal >= 1.5x)%n", my.total() / dm);
            System.out.printf("Ratio DM vs plain LOAD DATA (load only, the downstream's limit): %.2fx%n", loadData / dm);
        } finally {
            ProcessLauncher.deleteTempDir(dir);
        }
        System.exit(0);
    }

    private static double runDm(MariaDbInstance up, MariaDbInstance down, int threads, Path dir) {
        try (DmCluster cluster = DmCluster.start(1, dir.resolve("dm"), List.of(), Duration.ofSeconds(120))) {
            cluster.startWorker("bench-worker", List.of("--dm.worker.keepalive-ttl=10s"), Duration.ofSeconds(120));
            ApiClient api = cluster.masters().get(0).api();
            expect(api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"up\",\"host\":\"127.0.0.1\",\"port\":"
                    + up.port() + ",\"user\":\"root\",\"password\":\"\"}}"), 201);
            expect(api.post("/api/v1/tasks", "{\"task\":{\"name\":\"bench\",\"task_mode\":\"full\","
                    + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                    + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"up\",\"schema\":\"sbtest\",\"table\":\"*\"}}],"
                    + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":" + threads + ",\"import_threads\":" + threads + "},"
                    + "\"source_conf\":[{\"source_name\":\"up\"}]}}}"), 201);
            awaitBound(api);
            long t0 = System.nanoTime();
            expect(api.post("/api/v1/tasks/bench/start", "{}"), 200);
            String last = "";
            while (!last.contains("\"stage\":\"Finished\"")) {
                last = api.get("/api/v1/tasks/bench/status").body();
                if (last.contains("\"stage\":\"Paused\"")) {
                    throw new IllegalStateException("the task paused: " + last);
                }
                sleep(100);
            }
            double s = (System.nanoTime() - t0) / 1e9;
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
