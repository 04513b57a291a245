package io.dmjava.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd cluster of child processes on loopback ports, with one scratch dir holding every member's
 * data dir and log. {@link #close()} kills the members and deletes the dir.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdCluster.class);

    private final Path dir;
    private final List<EtcdMember> members;

    private EtcdCluster(Path dir, List<EtcdMember> members) {
        this.dir = dir;
        this.members = List.copyOf(members);
    }

    /**
     * Starts {@code memberCount} members named {@code etcd0..etcd<n-1>} and waits until each one reports
     * healthy.
     *
     * @throws IllegalStateException when a member does not become healthy within 30 s; the message
     *                               carries the tail of its log
     */
    public static EtcdCluster start(int memberCount) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("an etcd cluster needs at least one member, got " + memberCount);
        }
        long began = System.nanoTime();
        Path etcd = Binaries.etcd(); // before creating anything, so a missing binary leaves no litter
        Path dir = ProcessLauncher.createTempDir("dm-etcd-");
        // A token per cluster stops members of two clusters started side by side from ever merging.
        String token = "dm-etcd-" + UUID.randomUUID();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        int[] clientPorts = new int[memberCount];
        int[] peerPorts = new int[memberCount];
        List<String> initialCluster = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            clientPorts[i] = FreePorts.allocate();
            peerPorts[i] = FreePorts.allocate();
            initialCluster.add("etcd" + i + "=http://127.0.0.1:" + peerPorts[i]);
        }
        List<EtcdMember> members = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            Path memberDir = dir.resolve("etcd" + i);
            createDirectory(memberDir);
            members.add(new EtcdMember(etcd, "etcd" + i, clientPorts[i], peerPorts[i], memberDir,
                    String.join(",", initialCluster), token, http));
        }
        EtcdCluster cluster = new EtcdCluster(dir, members);
        try {
            // All members first, then wait: a multi-member cluster has no quorum until enough run.
            members.forEach(EtcdMember::start);
            for (EtcdMember member : members) {
                member.awaitHealthy(EtcdMember.READY_TIMEOUT);
            }
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        log.info("etcd cluster of {} member(s) healthy in {} ms at {}", memberCount,
                (System.nanoTime() - began) / 1_000_000, cluster.endpoints());
        return cluster;
    }

    /** Client URLs of all members, in member order. */
    public List<String> clientUrls() {
        return members.stream().map(EtcdMember::clientUrl).collect(Collectors.toList());
    }

    /** Client URLs joined with commas, the form etcd clients and DM's config take. */
    public String endpoints() {
        return String.join(",", clientUrls());
    }

    /** Member {@code i}, named {@code etcd<i>}. */
    public EtcdMember member(int i) {
        return members.get(i);
    }

    /** Number of members. */
    public int size() {
        return members.size();
    }

    /** The scratch dir holding every member's data dir and log. */
    public Path directory() {
        return dir;
    }

    /**
     * Kills every member and deletes the scratch dir. SIGKILL rather than a graceful stop because the
     * data is thrown away anyway, and a graceful leader stop would wait for a leadership hand-over.
     */
    @Override
    public void close() {
        for (EtcdMember member : members) {
            if (member.process() != null) {
                try {
                    member.kill();
                } catch (RuntimeException e) {
                    log.warn("could not kill {}: {}", member, e.toString());
                }
            }
        }
        ProcessLauncher.deleteTempDir(dir);
    }

    private static void createDirectory(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    @Override
    public String toString() {
        return "EtcdCluster" + members;
    }
}
