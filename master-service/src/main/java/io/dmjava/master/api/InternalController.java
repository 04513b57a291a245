package io.dmjava.master.api;

import io.dmjava.master.config.EtcdProperties;
import io.dmjava.store.EtcdKv;
import io.etcd.jetcd.cluster.Member;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints for the cluster's own processes, not for users (not in the public contract, not
 * forwarded): workers learn the etcd endpoints from the master addresses they are given.
 */
@RestController
public class InternalController {
    private final EtcdKv kv;
    private final EtcdProperties etcd;

    public InternalController(EtcdKv kv, EtcdProperties etcd) {
        this.kv = kv;
        this.etcd = etcd;
    }

    @GetMapping("/internal/v1/etcd/endpoints")
    public Map<String, List<String>> etcdEndpoints() {
        if (etcd.external()) {
            return Map.of("endpoints", etcd.endpointList());
        }
        List<Member> members = kv.await(kv.client().getClusterClient().listMember(), "list etcd members").getMembers();
        List<String> urls = members.stream().flatMap(m -> m.getClientURIs().stream()).map(URI::toString).distinct().toList();
        return Map.of("endpoints", urls.isEmpty() ? etcd.clientUrlList() : urls);
    }
}
