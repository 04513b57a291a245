package io.dmjava.master.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the embedded etcd member. It is wrapped in {@code setpriv --pdeathsig KILL} so
 * the kernel kills the member when the thread that started it dies, which happens when the master
 * process dies for any reason, SIGKILL included: a member never outlives its master.
 */
record EtcdMemberCommand(String binary, String name, Path dataDir, String clientUrls, String peerUrls,
                         String initialCluster, String initialClusterState, String token) {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    List<String> toList() {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(List.of(binary,
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrls,
                "--advertise-client-urls", clientUrls,
                "--listen-peer-urls", peerUrls,
                "--initial-advertise-peer-urls", peerUrls,
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", initialClusterState,
                "--initial-cluster-token", token,
                // Keep the member's own history small: the cluster holds metadata, not data.
                "--auto-compaction-mode", "revision",
                "--auto-compaction-retention", "10000",
                "--logger", "zap"));
        return cmd;
    }

    /** True when the data dir already holds a member, so initial-cluster flags are ignored by etcd. */
    static boolean hasMemberData(Path dataDir) {
        return Files.isDirectory(dataDir.resolve("member"));
    }
}
