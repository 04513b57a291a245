package io.dmjava.store;

import io.dmjava.model.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** The cluster id ({@code /dm/cluster/id}): chosen once by the first leader, then never changed. */
public final class ClusterIdStore {
    private final EtcdKv kv;
    private final SecureRandom random = new SecureRandom();

    public ClusterIdStore(EtcdKv kv) {
        this.kv = kv;
    }

    /** The cluster id, creating it if this is the first time any master asks. */
    public long getOrCreate() {
        long candidate = random.nextLong() & Long.MAX_VALUE;
        // A concurrent creator may win the put-if-absent; re-reading returns whichever id was stored.
        kv.putIfAbsent(EtcdKeys.CLUSTER_ID, Long.toString(candidate).getBytes(StandardCharsets.UTF_8));
        return kv.get(EtcdKeys.CLUSTER_ID)
                .map(b -> Long.parseLong(new String(b, StandardCharsets.UTF_8)))
                .orElseThrow(() -> new IllegalStateException("cluster id vanished right after it was created"));
    }
}
