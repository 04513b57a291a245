package io.dmjava.master.etcd;

import io.dmjava.master.config.EtcdProperties;
import io.dmjava.store.EtcdClients;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how the embedded member starts: as part of a new cluster ({@code initial-cluster}), from
 * its existing data dir (a restart), or by joining a running cluster ({@code dm.etcd.join}): the
 * member is first added through the running cluster's API, then started with state {@code existing}.
 */
final class EtcdJoin {
    private static final Logger log = LoggerFactory.getLogger(EtcdJoin.class);

    private final EtcdProperties props;
    private final String name;
    private final Path dataDir;

    EtcdJoin(EtcdProperties props, String name, Path dataDir) {
        this.props = props;
        this.name = name;
        this.dataDir = dataDir;
    }

    EtcdMemberCommand command() {
        String binary = props.binary() == null || props.binary().isBlank() ? "etcd" : props.binary();
        if (EtcdMemberCommand.hasMemberData(dataDir) || props.joinList().isEmpty()) {
            return new EtcdMemberCommand(binary, name, dataDir, props.clientUrls(), props.peerUrls(),
                    props.initialClusterOr(name), "new", props.initialClusterToken());
        }
        return new EtcdMemberCommand(binary, name, dataDir, props.clientUrls(), props.peerUrls(),
                joinCluster(), "existing", props.initialClusterToken());
    }

    /** Adds this member to the running cluster (or finds it added by an earlier, interrupted try). */
    private String joinCluster() {
        URI peer = URI.create(props.peerUrls().split(",")[0].trim());
        try (Client client = EtcdClients.connect(props.joinList())) {
            List<Member> members;
            List<Member> existing = client.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getMembers();
            boolean alreadyAdded = existing.stream().anyMatch(m -> m.getPeerURIs().contains(peer));
            if (alreadyAdded) {
                members = existing;
            } else {
                members = client.getClusterClient().addMember(List.of(peer)).get(10, TimeUnit.SECONDS).getMembers();
                log.info("added etcd member '{}' ({}) to the cluster at {}", name, peer, props.join());
            }
            return members.stream()
                    .map(m -> (m.getPeerURIs().contains(peer) ? name : m.getName()) + "="
                            + m.getPeerURIs().stream().map(URI::toString).collect(Collectors.joining(",")))
                    .collect(Collectors.joining(","));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not join the etcd cluster at " + props.join() + ": " + e, e);
        }
    }
}
