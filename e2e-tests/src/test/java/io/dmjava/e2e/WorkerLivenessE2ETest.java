package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import io.dmjava.testsupport.service.WorkerProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Workers as real JVMs with a short keepalive TTL, against one real master. */
class WorkerLivenessE2ETest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final int TTL_SECONDS = 3;
    private static final List<String> WORKER_ARGS = List.of("--dm.worker.keepalive-ttl=" + TTL_SECONDS + "s");
    private static DmCluster cluster;
    private static MasterProcess master;

    @BeforeAll
    static void start() {
        cluster = DmCluster.start(1, List.of(), START);
        master = cluster.masters().get(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String stage(String worker) {
        JsonNode list = Json.parse(master.api().get("/api/v1/cluster/workers").body());
        for (JsonNode w : list.get("data")) {
            if (w.get("name").asString().equals(worker)) {
                return w.get("bound_stage").asString();
            }
        }
        return "absent";
    }

    /** Polls until the worker shows {@code stage}; returns how long it took. */
    private static long awaitStage(String worker, String stage, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stage.equals(stage(worker))) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(worker + " did not become " + stage + " within " + timeout + "; it is " + stage(worker));
    }

    @Test
    void aKilledWorkerGoesOfflineAfterItsTtlAndCanThenBeRemoved() {
        WorkerProcess w = cluster.startWorker("killed-worker", WORKER_ARGS, START);
        awaitStage(w.name(), "free", Duration.ofSeconds(60));
        ApiClient.Response refused = master.api().delete("/api/v1/cluster/workers/" + w.name());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("\"error_code\":20004").contains("free");

        w.kill();
        long ms = awaitStage(w.name(), "offline", Duration.ofSeconds(TTL_SECONDS * 10L));
        System.out.printf("WORKER SIGKILL -> offline in %d ms (keepalive TTL %d s)%n", ms, TTL_SECONDS);

        assertThat(master.api().delete("/api/v1/cluster/workers/" + w.name()).status()).isEqualTo(204);
        assertThat(stage(w.name())).isEqualTo("absent");
        assertThat(master.api().delete("/api/v1/cluster/workers/" + w.name()).status()).isEqualTo(404);
    }

    @Test
    void aGracefullyStoppedWorkerGoesOfflineAtOnce() {
        // A long TTL: only revoking the lease on shutdown can make it offline quickly.
        WorkerProcess w = cluster.startWorker("stopped-worker", List.of("--dm.worker.keepalive-ttl=60s"), START);
        awaitStage(w.name(), "free", Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        w.stop();
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        long ms = awaitStage(w.name(), "offline", Duration.ofSeconds(30));
        System.out.printf("WORKER graceful stop (%d ms) -> offline %d ms after exit (keepalive TTL 60 s)%n", stopMs, ms);
    }

    @Test
    void aWorkerThatLostItsLeaseRegistersAgainByItself() {
        WorkerProcess w = cluster.startWorker("paused-worker", WORKER_ARGS, START);
        awaitStage(w.name(), "free", Duration.ofSeconds(60));
        w.suspend();
        try {
            awaitStage(w.name(), "offline", Duration.ofSeconds(TTL_SECONDS * 10L));
        } finally {
            w.resume();
        }
        long ms = awaitStage(w.name(), "free", Duration.ofSeconds(60));
        System.out.printf("WORKER SIGSTOP past TTL, SIGCONT -> registered again in %d ms%n", ms);
    }
}
