package io.dmjava.testsupport.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A master JVM with its embedded etcd member, on its own ports and data dir. */
public final class MasterProcess extends ServiceProcess {
    private final String name;
    private final int clientPort;
    private final int peerPort;

    private MasterProcess(String name, List<String> jvmFlags, List<String> args, Path workDir, int apiPort, int clientPort,
                          int peerPort) {
        super(name, ServiceJars.master(), jvmFlags, args, workDir, apiPort);
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /**
     * A master of a new cluster.
     *
     * @param initialCluster {@code name=http://127.0.0.1:peer,...} of every initial master
     * @param extraArgs      more {@code --key=value} arguments, e.g. a shorter session TTL
     */
    public static MasterProcess create(String name, int apiPort, int clientPort, int peerPort, String initialCluster,
                                       Path workDir, List<String> extraArgs) {
        return create(name, apiPort, clientPort, peerPort, initialCluster, workDir, extraArgs, TEST_JVM_FLAGS);
    }

    /** As {@link #create(String, int, int, int, String, Path, List)}, with these JVM flags. */
    public static MasterProcess create(String name, int apiPort, int clientPort, int peerPort, String initialCluster,
                                       Path workDir, List<String> extraArgs, List<String> jvmFlags) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + apiPort,
                "--dm.master.name=" + name,
                "--dm.etcd.client-urls=" + clientUrl(clientPort),
                "--dm.etcd.peer-urls=" + peerUrl(peerPort),
                "--dm.etcd.initial-cluster=" + initialCluster,
                "--dm.etcd.data-dir=" + workDir.resolve(name + ".etcd")));
        args.addAll(extraArgs);
        return new MasterProcess(name, jvmFlags, args, workDir, apiPort, clientPort, peerPort);
    }

    public String name() {
        return name;
    }

    /** The file where the master records its embedded etcd member's pid. */
    public Path etcdPidFile() {
        return workDir().resolve(name + ".etcd.etcd.pid");
    }

    public String etcdClientUrl() {
        return clientUrl(clientPort);
    }

    public String etcdPeerUrl() {
        return peerUrl(peerPort);
    }

    public static String clientUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    public static String peerUrl(int port) {
        return "http://127.0.0.1:" + port;
    }
}
