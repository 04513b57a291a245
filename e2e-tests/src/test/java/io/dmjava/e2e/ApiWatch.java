package io.dmjava.e2e;

import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * A REST client that keeps asking every live master for the workers list (a request followers forward to the
 * leader) for the whole chaos test, as a caller of the API would. It records, per master, the longest window in
 * which that master answered nothing but errors (a 503 while no leader is known, a refused connection, ...),
 * and, from the answers, every change of the leader and every source moving to another worker. A master the test
 * killed is left out from the kill until it answers health checks again after its restart.
 */
final class ApiWatch implements AutoCloseable {
    /** The longest run of failed answers of one master: how long, which master, the last status seen, when it began. */
    record Window(long millis, String master, int lastStatus, long startedNanos) {
    }

    private final DmCluster cluster;
    private final Thread thread;
    private final Map<String, Boolean> live = new ConcurrentHashMap<>();
    private final Map<String, Long> failingSince = new HashMap<>();
    private final Map<String, Integer> lastFailure = new HashMap<>();
    private final Map<String, String> boundTo = new HashMap<>();
    private volatile Window longest = new Window(0, "", 0, 0);
    private long markNanos = System.nanoTime();
    private long longestSinceMark;
    private volatile String leader = "";
    private volatile int leaderChanges;
    private volatile int rebinds;
    private volatile long requests;
    private volatile boolean running = true;

    ApiWatch(DmCluster cluster) {
        this.cluster = cluster;
        cluster.masters().forEach(m -> live.put(m.name(), true));
        this.thread = new Thread(this::loop, "api-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The test is about to kill this master: its failures from now on are expected. */
    void down(String master) {
        live.put(master, false);
    }

    /** The master answers health checks again: from now on it must answer API requests too. */
    void up(String master) {
        live.put(master, true);
    }

    Window longest() {
        return longest;
    }

    /** Starts counting {@link #longestSinceMark()} anew (at each fault). */
    synchronized void mark() {
        markNanos = System.nanoTime();
        longestSinceMark = 0;
    }

    /** The longest error-only window of a live master since {@link #mark()}, those still open included. */
    synchronized long longestSinceMark() {
        long now = System.nanoTime();
        long max = longestSinceMark;
        for (long since : failingSince.values()) {
            max = Math.max(max, (now - Math.max(since, markNanos)) / 1_000_000);
        }
        return max;
    }

    int leaderChanges() {
        return leaderChanges;
    }

    int rebinds() {
        return rebinds;
    }

    long requests() {
        return requests;
    }

    String leader() {
        return leader;
    }

    private void loop() {
        while (running) {
            for (MasterProcess m : cluster.masters()) {
                if (!running) {
                    return;
                }
                if (!live.getOrDefault(m.name(), false)) {
                    forget(m.name());
                    continue;
                }
                ApiClient.Response r = m.api().get("/api/v1/cluster/workers");
                requests++;
                record(m.name(), r);
            }
            for (MasterProcess m : cluster.masters()) {
                if (live.getOrDefault(m.name(), false)) {
                    Optional<String> named = DmCluster.leaderAccordingTo(m);
                    if (named.isPresent()) {
                        if (!leader.isEmpty() && !leader.equals(named.get())) {
                            leaderChanges++;
                        }
                        leader = named.get();
                        break;
                    }
                }
            }
            FullMigrationE2ETest.sleep(100);
        }
    }

    private synchronized void forget(String master) {
        failingSince.remove(master);
    }

    private synchronized void record(String master, ApiClient.Response r) {
        long now = System.nanoTime();
        if (!live.getOrDefault(master, false)) {
            failingSince.remove(master); // killed while the request was in flight
            return;
        }
        if (r.status() / 100 != 2) {
            failingSince.putIfAbsent(master, now);
            lastFailure.put(master, r.status());
            return;
        }
        Long since = failingSince.remove(master);
        if (since != null) {
            long millis = (now - since) / 1_000_000;
            if (millis > longest.millis()) {
                longest = new Window(millis, master, lastFailure.getOrDefault(master, 0), since);
            }
            longestSinceMark = Math.max(longestSinceMark, (now - Math.max(since, markNanos)) / 1_000_000);
        }
        for (JsonNode w : Json.parse(r.body()).path("data")) {
            String source = w.path("bound_source_name").asString("");
            String worker = w.path("name").asString();
            if (!source.isEmpty() && "bound".equals(w.path("bound_stage").asString())) {
                String before = boundTo.put(source, worker);
                if (before != null && !before.equals(worker)) {
                    rebinds++;
                }
            }
        }
    }

    /** Closes the windows still open (as if answered now), so a master failing at the end is counted too. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(40_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            long now = System.nanoTime();
            for (Map.Entry<String, Long> e : Map.copyOf(failingSince).entrySet()) {
                long millis = (now - e.getValue()) / 1_000_000;
                if (millis > longest.millis()) {
                    longest = new Window(millis, e.getKey(), lastFailure.getOrDefault(e.getKey(), 0), e.getValue());
                }
            }
        }
    }

    /** Names of the masters currently counted as live. */
    List<String> liveMasters() {
        return live.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }
}
