package io.dmjava.worker.fence;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.store.EtcdKv;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import java.util.Optional;

/**
 * A worker's bound together with the owner token its subtask runs use: the etcd mod revision of the bound key.
 * etcd revisions only grow, and every binding of a source (to this worker or another, by the scheduler or a
 * transfer) writes a bound key anew, so a later binding always has a greater token.
 *
 * @param source the bound source
 * @param token  the mod revision of {@code /dm/bound/<worker>}
 */
public record BoundToken(String source, long token) {

    /** The worker's current bound, if any, read in one etcd call together with its revision. */
    public static Optional<BoundToken> read(EtcdKv kv, JsonCodec codec, String worker) {
        GetResponse r = kv.await(kv.client().getKVClient().get(EtcdKv.bytes(EtcdKeys.BOUND.key(worker))), "read the bound of " + worker);
        if (r.getKvs().isEmpty()) {
            return Optional.empty();
        }
        KeyValue e = r.getKvs().get(0);
        SourceBound b = codec.decode(e.getValue().getBytes(), SourceBound.class);
        return Optional.of(new BoundToken(b.source(), e.getModRevision()));
    }
}
