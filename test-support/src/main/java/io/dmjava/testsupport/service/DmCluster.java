package io.dmjava.testsupport.service;

import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A whole cluster of real processes on free loopback ports: masters (each with its embedded etcd
 * member) and workers. Used by the end-to-end tests and the playground.
 */
public final class DmCluster implements AutoCloseable {
    private static final Pattern LEADER = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"[^}]*\"leader\"\\s*:\\s*true");

    private final Path workDir;
    private final List<String> jvmFlags;
    private final List<MasterProcess> masters = new ArrayList<>();
    private final List<WorkerProcess> workers = Collections.synchronizedList(new ArrayList<>());

    private DmCluster(Path workDir, List<String> jvmFlags) {
        this.workDir = workDir;
        this.jvmFlags = List.copyOf(jvmFlags);
    }

    /**
     * Starts {@code count} masters forming one embedded etcd cluster and waits until each answers.
     *
     * @param masterArgs extra arguments for every master, e.g. {@code --dm.master.session-ttl=2s}
     */
    public static DmCluster start(int count, Path workDir, List<String> masterArgs, Duration timeout) {
        return start(count, workDir, masterArgs, ServiceProcess.TEST_JVM_FLAGS, timeout);
    }

    /**
     * As {@link #start(int, Path, List, Duration)}, with {@code jvmFlags} for every master and worker of the
     * cluster instead of {@link ServiceProcess#TEST_JVM_FLAGS} (a benchmark runs them as deployed).
     */
    public static DmCluster start(int count, Path workDir, List<String> masterArgs, List<String> jvmFlags,
                                  Duration timeout) {
        DmCluster c = new DmCluster(workDir, jvmFlags);
        int[][] ports = new int[count][3];
        List<String> initial = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports[i] = new int[] {FreePorts.allocate(), FreePorts.allocate(), FreePorts.allocate()};
            initial.add("master" + (i + 1) + "=" + MasterProcess.peerUrl(ports[i][2]));
        }
        String initialCluster = String.join(",", initial);
        List<String> args = new ArrayList<>(masterArgs);
        args.add(c.secretKeyArg());
        for (int i = 0; i < count; i++) {
            c.masters.add(MasterProcess.create("master" + (i + 1), ports[i][0], ports[i][1], ports[i][2],
                    initialCluster, workDir, args, c.jvmFlags));
        }
        try {
            c.masters.forEach(MasterProcess::launch);
            c.masters.forEach(m -> m.awaitHealthy(timeout));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A cluster in a fresh temp dir that is deleted with the harness's other temp dirs. */
    public static DmCluster start(int count, List<String> masterArgs, Duration timeout) {
        return start(count, ProcessLauncher.createTempDir("dm-cluster"), masterArgs, timeout);
    }

    public Path workDir() {
        return workDir;
    }

    /** Every master and worker of the cluster shares one key file for the passwords stored in etcd. */
    private String secretKeyArg() {
        return "--dm.secret.key-file=" + workDir.resolve("dm-secret.key");
    }

    public List<MasterProcess> masters() {
        return List.copyOf(masters);
    }

    public MasterProcess master(String name) {
        return masters.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no master " + name));
    }

    /** Comma-separated addresses of every master: what a worker is given to join. */
    public String masterAddrs() {
        return masters.stream().map(ServiceProcess::addr).collect(Collectors.joining(","));
    }

    /**
     * Starts a new master that joins the running cluster through {@code dm.etcd.join} (its etcd member
     * is added to the existing etcd cluster), and waits until it answers.
     */
    public MasterProcess addMaster(String name, List<String> extraArgs, Duration timeout) {
        String join = masters.stream().filter(ServiceProcess::isAlive).map(MasterProcess::etcdClientUrl)
                .collect(Collectors.joining(","));
        List<String> args = new ArrayList<>(extraArgs);
        args.add("--dm.etcd.join=" + join);
        args.add(secretKeyArg());
        int peer = FreePorts.allocate();
        MasterProcess m = MasterProcess.create(name, FreePorts.allocate(), FreePorts.allocate(), peer,
                name + "=" + MasterProcess.peerUrl(peer), workDir, args, jvmFlags);
        masters.add(m);
        m.launch().awaitHealthy(timeout);
        return m;
    }

    /** Starts a worker joining every master and waits until its API answers. */
    public WorkerProcess startWorker(String name, List<String> args, Duration timeout) {
        List<String> all = new ArrayList<>(args);
        all.add(secretKeyArg());
        WorkerProcess w = WorkerProcess.create(name, FreePorts.allocate(), masterAddrs(), workDir, all, jvmFlags);
        workers.add(w);
        w.launch().awaitHealthy(timeout);
        return w;
    }

    /** The leader's name according to {@code via}, if it answers and names one. */
    public static Optional<String> leaderAccordingTo(ServiceProcess via) {
        ApiClient.Response r = via.api().get("/api/v1/cluster/masters");
        if (r.status() != 200) {
            return Optional.empty();
        }
        Matcher m = LEADER.matcher(r.body());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Waits until a live master other than {@code excluded} answers and names a live leader; returns it. */
    public MasterProcess awaitLeader(Duration timeout, String excluded) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (MasterProcess m : masters) {
                if (!m.isAlive() || m.name().equals(excluded)) {
                    continue;
                }
                Optional<String> leader = leaderAccordingTo(m);
                if (leader.isPresent() && !leader.get().equals(excluded) && master(leader.get()).isAlive()) {
                    return master(leader.get());
                }
            }
            ServiceProcess.sleep(50);
        }
        throw new IllegalStateException("no leader elected within " + timeout);
    }

    @Override
    public void close() {
        List<ServiceProcess> all = new ArrayList<>(workers);
        all.addAll(masters);
        all.parallelStream().forEach(ServiceProcess::close);
    }
}
