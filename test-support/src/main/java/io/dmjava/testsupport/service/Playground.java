package io.dmjava.testsupport.service;

import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The local playground: one master (with its embedded etcd), one worker, an upstream and a downstream
 * MariaDB as real processes, on DM's default ports when they are free. It loads sample sharded data,
 * creates a source and a task of mode {@code all} through the REST API (dump, load, then replicate the
 * binlog), keeps a writer changing the upstream at a modest rate and prints the task's status every few
 * seconds until Ctrl-C (SIGINT or SIGTERM; or {@code --seconds N}). Then it stops the writer, waits until the
 * task has applied everything, compares the tables up and down, and stops everything and deletes its files.
 * The exit status is 0 when the tables are identical.
 */
public final class Playground {
    private static final int WRITES_PER_SECOND = 20;
    private static final long STATUS_EVERY_MS = 3000;
    private static final CountDownLatch STOP = new CountDownLatch(1);
    /** Set once the demo runs: a signal before that just exits. */
    private static volatile boolean demoRunning;

    private Playground() {
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length == 2 && args[0].equals("--seconds") ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        onSignal("INT");
        onSignal("TERM");
        Path dir = ProcessLauncher.createTempDir("dm-playground");
        int api = portOr(8261);
        int client = portOr(2379);
        int peer = portOr(2380);
        int workerApi = portOr(8262);
        System.out.printf("Starting a playground cluster in %s ...%n", dir);
        MasterProcess master = MasterProcess.create("master1", api, client, peer,
                "master1=" + MasterProcess.peerUrl(peer), dir, List.of());
        WorkerProcess worker = WorkerProcess.create("worker1", workerApi, master.addr(), dir, List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the playground ...");
            worker.close();
            master.close();
        }, "playground-stop"));
        master.launch();
        worker.launch();
        System.out.println("Starting an upstream and a downstream MariaDB and loading sample data ...");
        MariaDbInstance up = MariaDbInstance.startUpstream();
        MariaDbInstance down = MariaDbInstance.startDownstream();
        PlaygroundDemo.loadSampleData(up);
        master.awaitHealthy(Duration.ofSeconds(120));
        worker.awaitHealthy(Duration.ofSeconds(120));
        System.out.printf("""

                Master API     http://%s/api/v1   (Swagger UI: http://%s/api/v1/docs)
                Worker         http://%s
                etcd           %s
                Logs           %s
                Upstream       mariadb -h127.0.0.1 -P%d -uroot shop
                Downstream     mariadb -h127.0.0.1 -P%d -uroot shop
                Try:           curl -s http://%s/api/v1/tasks/demo/status

                Creating source 'demo-source' and task 'demo' (mode all: dump, load, then replicate the binlog;
                shop.orders_* -> shop.orders, shop.customers) and starting a writer (~%d transactions/s upstream) ...
                """, master.addr(), master.addr(), worker.addr(), master.etcdClientUrl(), dir, up.port(), down.port(),
                master.addr(), WRITES_PER_SECOND);
        PlaygroundDemo.createSourceAndTask(master.api(), up, down);
        PlaygroundWriter writer = new PlaygroundWriter(up, WRITES_PER_SECOND).start();
        System.out.println(seconds == Long.MAX_VALUE ? "Press Ctrl-C to stop the writer, verify and clean up."
                : "Running for " + seconds + " s (Ctrl-C stops earlier).");
        System.out.println("(synced means nothing is left to apply; with the writer running it is mostly false: 'behind' shows the lag)");
        long deadline = seconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        demoRunning = true;
        do {
            String now = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
            System.out.printf("%s  %s  writer %d txns%n", now, PlaygroundDemo.statusLine(master.api(), up, down),
                    writer.transactions());
        } while (!STOP.await(Math.min(STATUS_EVERY_MS, remainingMillis(deadline)), TimeUnit.MILLISECONDS)
                && System.nanoTime() < deadline);

        System.out.println("Stopping the writer after " + writer.transactions() + " transactions ...");
        writer.close();
        boolean synced = PlaygroundDemo.awaitSynced(master.api(), up, down, Duration.ofMinutes(5));
        boolean identical = PlaygroundDemo.verify(up, down);
        System.exit(synced && identical && writer.failure() == null ? 0 : 1);
    }

    private static long remainingMillis(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /**
     * The first Ctrl-C (or SIGTERM) ends the demo gracefully: verification, then cleanup; a second one exits at
     * once (the shutdown hooks still stop every process). playground.sh runs this JVM in its own session so that
     * Ctrl-C reaches only it, not the cluster and databases it started.
     */
    private static void onSignal(String name) {
        Signal.handle(new Signal(name), s -> {
            if (demoRunning && STOP.getCount() > 0) {
                System.out.println();
                System.out.println("Stopping (again to skip the verification) ...");
                STOP.countDown();
            } else {
                System.exit(130);
            }
        });
    }

    private static int portOr(int preferred) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", preferred));
            return preferred;
        } catch (IOException taken) {
            int port = FreePorts.allocate();
            System.out.printf("port %d is taken; using %d instead%n", preferred, port);
            return port;
        }
    }
}
