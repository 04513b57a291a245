package io.dmjava.master.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the cluster's etcd lives ({@code dm.etcd.*}). By default the master runs its own member
 * (embedded); set {@code endpoints} to use an external etcd cluster instead.
 *
 * @param embedded            run and supervise a local etcd member (default true; ignored when
 *                            {@code endpoints} is set)
 * @param clientUrls          client URLs of the embedded member (default http://127.0.0.1:2379)
 * @param peerUrls            peer URLs of the embedded member (default http://127.0.0.1:2380)
 * @param initialCluster      {@code name=peerUrl,...} of the initial members (default: this master alone)
 * @param initialClusterToken token that keeps two clusters' members apart (default dm-java)
 * @param dataDir             the member's data dir (default {@code default.<master name>} in the working dir)
 * @param join                client URLs of an existing cluster this new member joins (default: none)
 * @param endpoints           client URLs of an external etcd; when set nothing is embedded (default: none)
 * @param binary              path of the etcd executable (default: {@code etcd} on the PATH)
 * @param restartBackoff      pause before the supervisor restarts a member that died (default 1s)
 * @param startTimeout        how long the member may take to start answering (default 60s)
 */
@ConfigurationProperties("dm.etcd")
public record EtcdProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("http://127.0.0.1:2379") String clientUrls,
        @DefaultValue("http://127.0.0.1:2380") String peerUrls,
        String initialCluster,
        @DefaultValue("dm-java") String initialClusterToken,
        String dataDir,
        String join,
        String endpoints,
        String binary,
        @DefaultValue("1s") Duration restartBackoff,
        @DefaultValue("60s") Duration startTimeout) {

    public boolean external() {
        return endpoints != null && !endpoints.isBlank();
    }

    public boolean runsEmbedded() {
        return embedded && !external();
    }

    public List<String> clientUrlList() {
        return split(clientUrls);
    }

    public List<String> endpointList() {
        return split(endpoints);
    }

    public List<String> joinList() {
        return split(join);
    }

    public String initialClusterOr(String memberName) {
        return initialCluster == null || initialCluster.isBlank() ? memberName + "=" + peerUrls : initialCluster;
    }

    public Path dataDirOr(String memberName) {
        return Path.of(dataDir == null || dataDir.isBlank() ? "default." + memberName : dataDir).toAbsolutePath();
    }

    private static List<String> split(String s) {
        return s == null ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
