package io.dmjava.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.cluster.WorkerStage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.source.SourceMeta;
import io.dmjava.model.task.SubTaskConfig;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.store.BoundStore;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdSession;
import io.dmjava.store.LoadTaskStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.WorkerStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler against a real etcd: workers are simulated by their etcd keys (registration and a leased
 * alive key, revoked to take one offline at once) and, for transfer-source, by a loopback HTTP endpoint that
 * answers the master's status calls the way a worker following etcd's expected stages does.
 */
class SchedulerIntegrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private final JsonCodec codec = new JsonCodec();
    private final Map<String, EtcdSession> sessions = new HashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private Client client;
    private EtcdKv kv;
    private WorkerStore workers;
    private BoundStore bounds;
    private SubTaskStore subtasks;
    private LoadTaskStore loadTasks;
    private Scheduler scheduler;

    @BeforeEach
    void start() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        kv = new EtcdKv(client, Duration.ofSeconds(5));
        kv.txn().deletePrefix("/dm/").commit();
        workers = new WorkerStore(kv, codec);
        bounds = new BoundStore(kv, codec);
        subtasks = new SubTaskStore(kv, codec);
        loadTasks = new LoadTaskStore(kv);
        scheduler = new Scheduler(kv, workers, bounds, new RelayWorkerStore(kv), new SourceStore(kv, codec), subtasks,
                new SimpleMeterRegistry(), Duration.ofSeconds(3));
        scheduler.onElected();
    }

    @AfterEach
    void stop() {
        scheduler.onRevoked();
        sessions.values().forEach(EtcdSession::close);
        servers.forEach(s -> s.stop(0));
        client.close();
    }

    @Test
    void aLostWorkersSourceIsReboundByDmPriority() throws InterruptedException {
        source("s1");
        online("w-old");
        awaitBound("w-old", "s1");
        online("a-free");
        online("b-last");
        lastBound("b-last", "s1");
        relay("c-relay", "s1");
        online("c-relay");
        relay("e-relay", "s1");
        lastBound("e-relay", "s1");
        online("e-relay");
        online("d-loader");
        awaitStage("d-loader", WorkerStage.FREE);
        loadTasks.put("t1", "s1", "d-loader");

        offline("w-old");
        awaitBound("d-loader", "s1");   // 1: the worker holding the unfinished load
        offline("d-loader");
        awaitBound("e-relay", "s1");    // 2: a relay worker of the source that was bound to it before
        offline("e-relay");
        awaitBound("c-relay", "s1");    // 3: any relay worker of the source
        offline("c-relay");
        awaitBound("b-last", "s1");     // 4: a free worker last bound to the source
        offline("b-last");
        awaitBound("a-free", "s1");     // 5: any free worker
    }

    @Test
    void withoutAFreeWorkerSourcesWaitAndAReturningWorkerTakesItsLastBoundSourceBack() throws InterruptedException {
        source("a-src");
        source("b-src");
        online("w1");
        awaitBound("w1", "a-src");
        assertThat(bounds.workerOf("b-src")).as("b-src waits: no free worker").isEmpty();
        online("w2");
        awaitBound("w2", "b-src");      // a worker registers: the waiting source is bound

        offline("w1");
        offline("w2");
        await(() -> bounds.bounds().isEmpty(), "both sources unbound, waiting");
        online("w2");
        awaitBound("w2", "b-src");      // its last bound, although a-src comes first by name
        online("w1");
        awaitBound("w1", "a-src");
    }

    @Test
    void aReturningWorkerTakesBackASourceItHoldsAnUnfinishedLoadOf() throws InterruptedException {
        source("s1");
        online("w-load");
        awaitBound("w-load", "s1");
        loadTasks.put("t1", "s1", "w-load");
        online("w-other");
        awaitStage("w-other", WorkerStage.FREE);

        offline("w-load");
        awaitBound("w-other", "s1");    // it dumps again meanwhile; it has no load mark of its own
        online("w-load");
        awaitBound("w-load", "s1");
        awaitStage("w-other", WorkerStage.FREE);
    }

    @Test
    void transferToARelayWorkerOfTheSameSourcePausesRebindsAndResumesSyncingSubtasks() throws Exception {
        source("s1");
        source("s2");
        FakeWorker old = fakeWorker("w-old");
        awaitBound("w-old", "s1");
        online("w-s2");
        awaitBound("w-s2", "s2");
        relay("r-other", "s2");
        online("r-other");
        relay("r1", "s1");
        online("r1");
        awaitStage("r1", WorkerStage.RELAY);
        awaitStage("r-other", WorkerStage.RELAY);
        runningSubtask("s1", "t1");

        assertThatThrownBy(() -> scheduler.transfer("s1", "r-other")).isInstanceOf(DmException.class)
                .extracting(e -> ((DmException) e).errorCode()).isEqualTo(ErrorCode.TRANSFER_TARGET_NOT_ELIGIBLE);
        assertThatThrownBy(() -> scheduler.transfer("s1", "w-s2")).isInstanceOf(DmException.class)
                .extracting(e -> ((DmException) e).errorCode()).isEqualTo(ErrorCode.TRANSFER_TARGET_NOT_ELIGIBLE);
        old.unit = "load";
        assertThatThrownBy(() -> scheduler.transfer("s1", "r1")).isInstanceOf(DmException.class)
                .hasMessageContaining("t1 (unit load, Running)")
                .extracting(e -> ((DmException) e).errorCode()).isEqualTo(ErrorCode.TRANSFER_NOT_IN_SYNC);
        assertThat(subtasks.stage("s1", "t1")).contains(Stage.Running);

        old.unit = "sync";
        scheduler.transfer("s1", "r1");
        assertThat(bounds.bound("r1")).contains(new SourceBound("s1", "r1"));
        assertThat(bounds.bound("w-old")).isEmpty();
        assertThat(old.reportedPaused.get()).as("the old worker was seen paused before the rebind").isTrue();
        assertThat(subtasks.stage("s1", "t1")).contains(Stage.Running);
        awaitStage("r1", WorkerStage.BOUND);
    }

    @Test
    void aTransferWhoseOldWorkerNeverPausesIsUndone() throws Exception {
        source("s1");
        FakeWorker old = fakeWorker("w-old");
        awaitBound("w-old", "s1");
        online("w-free");
        awaitStage("w-free", WorkerStage.FREE);
        runningSubtask("s1", "t1");
        old.unit = "sync";
        old.stuck = true;

        assertThatThrownBy(() -> scheduler.transfer("s1", "w-free")).isInstanceOf(DmException.class)
                .hasMessageContaining("did not pause subtask(s) [t1]")
                .extracting(e -> ((DmException) e).errorCode()).isEqualTo(ErrorCode.TRANSFER_PAUSE_TIMEOUT);
        assertThat(bounds.bound("w-old")).contains(new SourceBound("s1", "w-old"));
        assertThat(subtasks.stage("s1", "t1")).contains(Stage.Running);
    }

    // --- simulated cluster ---

    /** A worker's status endpoint that follows the expected stage in etcd, as the real supervisor does. */
    private final class FakeWorker {
        volatile String unit = "sync";
        volatile boolean stuck;
        final AtomicBoolean reportedPaused = new AtomicBoolean();
        String source = "s1";

        void answer(com.sun.net.httpserver.HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            String task = path.substring(path.lastIndexOf('/') + 1);
            Stage expected = subtasks.stage(source, task).orElse(Stage.New);
            String stage = stuck || expected == Stage.Running ? "Running" : expected.name();
            reportedPaused.compareAndSet(false, stage.equals("Paused"));
            byte[] body = codec.encode(new SubTaskStatus(task, source, "w-old", stage, unit, null, null, null, null, null));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private FakeWorker fakeWorker(String name) throws IOException {
        FakeWorker w = new FakeWorker();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/subtasks/", w::answer);
        server.start();
        servers.add(server);
        online(name, "127.0.0.1:" + server.getAddress().getPort());
        return w;
    }

    private void runningSubtask(String source, String task) {
        TaskConfig t = new TaskConfig(task, "all", null, null, null, null, null, null, null, null, null);
        kv.put(subtasks.configKey(source, task), subtasks.encode(new SubTaskConfig(t, source, 1)));
        kv.put(subtasks.stageKey(source, task), SubTaskStore.encode(Stage.Running));
    }

    private void source(String name) {
        new SourceStore(kv, codec).create(new SourceConfig(name, "127.0.0.1", 3306, "root", "x", false, true, "mysql",
                null, null, null), new SourceMeta(name.hashCode(), "mysql", "8.0"));
        scheduler.reconcileSoon();
    }

    private void online(String name) {
        online(name, "127.0.0.1:1");
    }

    private void online(String name, String addr) {
        WorkerInfo info = new WorkerInfo(name, addr);
        workers.register(info);
        EtcdSession s = EtcdSession.open(kv, Duration.ofSeconds(30), name, () -> { });
        sessions.put(name, s);
        workers.putAlive(info, s.leaseId());
    }

    /** Revokes the worker's lease: what its keepalive expiring does, without waiting a TTL. */
    private void offline(String name) throws InterruptedException {
        sessions.remove(name).close();
        awaitStage(name, WorkerStage.OFFLINE);
    }

    private void relay(String worker, String source) {
        kv.put(EtcdKeys.RELAY_WORKER.key(worker), source.getBytes(StandardCharsets.UTF_8));
    }

    private void lastBound(String worker, String source) {
        kv.put(EtcdKeys.LAST_BOUND.key(worker), codec.encode(new SourceBound(source, worker)));
    }

    private void awaitBound(String worker, String source) throws InterruptedException {
        await(() -> bounds.bound(worker).map(SourceBound::source).equals(Optional.of(source)),
                "source " + source + " bound to " + worker + " (bounds now " + bounds.bounds() + ")");
    }

    private void awaitStage(String worker, WorkerStage stage) throws InterruptedException {
        await(() -> scheduler.workers().stream().anyMatch(w -> w.name().equals(worker) && w.stage() == stage),
                "worker " + worker + " seen " + stage.apiName());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
