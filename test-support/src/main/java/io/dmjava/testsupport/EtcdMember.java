package io.dmjava.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd server of an {@link EtcdCluster}. Its ports and data dir are fixed for its lifetime, so a
 * {@link #restart()} brings back the same member (same identity in raft, same data) as a real
 * operator restart would.
 */
public final class EtcdMember {

    private static final Logger log = LoggerFactory.getLogger(EtcdMember.class);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final int clientPort;
    private final int peerPort;
    private final Path dir;
    private final List<String> command;
    private final HttpClient http;
    private volatile ManagedProcess process;

    EtcdMember(Path etcd, String name, int clientPort, int peerPort, Path dir, String initialCluster, String token,
               HttpClient http) {
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.dir = dir;
        this.http = http;
        this.command = List.of(
                etcd.toString(),
                "--name", name,
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", clientUrl(),
                "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl(),
                "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", token);
    }

    /** Member name, {@code etcd<i>}. */
    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<client port>}. */
    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** {@code http://127.0.0.1:<peer port>}. */
    public String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /** The current process; a new handle after each {@link #restart()}. */
    public ManagedProcess process() {
        return process;
    }

    /** SIGKILLs the member, like a crash: no leadership hand-over, no clean WAL close. */
    public void kill() {
        process.kill();
    }

    /** Stops the member gracefully (SIGTERM, then SIGKILL after a grace period). */
    public void stop() {
        process.terminate(STOP_GRACE);
    }

    /**
     * Starts the member again on the same data dir and ports (stopping it first if it still runs) and
     * waits until it reports healthy, which for a multi-member cluster means it rejoined a quorum.
     */
    public void restart() {
        if (process != null && process.isAlive()) {
            stop();
        }
        start();
        awaitHealthy(READY_TIMEOUT);
    }

    /** Whether {@code GET /health} answers {@code "health":"true"} right now. */
    public boolean isHealthy() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void start() {
        process = ProcessLauncher.launch(name, command, dir, dir.resolve(name + ".log"), Map.of());
        log.debug("etcd member {} started as pid {} on {}", name, process.pid(), clientUrl());
    }

    void awaitHealthy(Duration timeout) {
        Readiness.await(process, "etcd member " + name + " at " + clientUrl(), timeout, this::isHealthy);
    }

    @Override
    public String toString() {
        return name + "@" + clientUrl();
    }
}
