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
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The local playground: one master (with its embedded etcd), one worker, an upstream and a downstream
 * MariaDB as real processes, on DM's default ports when they are free. It loads sample sharded data,
 * creates a source and a full task through the REST API, follows the migration and verifies it, then
 * shows the cluster until Ctrl-C (or {@code --seconds N}), and finally stops everything and deletes its files.
 */
public final class Playground {
    private Playground() {
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length == 2 && args[0].equals("--seconds") ? Long.parseLong(args[1]) : Long.MAX_VALUE;
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

                Creating source 'demo-source' and full task 'demo' (shop.orders_* -> shop.orders) ...
                """, master.addr(), master.addr(), worker.addr(), master.etcdClientUrl(), dir, up.port(), down.port(), master.addr());
        PlaygroundDemo.createSourceAndTask(master.api(), up, down);
        boolean finished = PlaygroundDemo.followTask(master.api(), Duration.ofMinutes(10));
        System.out.println(finished ? PlaygroundDemo.verify(up, down) : "The task did not finish; see its status above.");
        System.out.println("Press Ctrl-C to stop.");
        long deadline = seconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String now = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            System.out.println(now + " workers " + master.api().get("/api/v1/cluster/workers").body());
            Thread.sleep(15_000);
        }
        System.exit(0);
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
