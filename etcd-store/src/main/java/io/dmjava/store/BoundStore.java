package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.BOUND;
import static io.dmjava.model.etcd.EtcdKeys.LAST_BOUND;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.etcd.JsonCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Bounds worker -> source ({@code /dm/bound}) and each worker's last bound ({@code /dm/last-bound}). */
public final class BoundStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public BoundStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    /** Current bounds by worker name. */
    public Map<String, SourceBound> bounds() {
        return read(BOUND.rangePrefix());
    }

    public Optional<SourceBound> bound(String worker) {
        return kv.get(BOUND.key(worker)).map(b -> codec.decode(b, SourceBound.class));
    }

    /** Last bounds by worker name: which source each worker served last (kept after unbinding). */
    public Map<String, SourceBound> lastBounds() {
        return read(LAST_BOUND.rangePrefix());
    }

    private Map<String, SourceBound> read(String prefix) {
        Map<String, SourceBound> out = new LinkedHashMap<>();
        kv.getPrefix(prefix).values().forEach(v -> {
            SourceBound b = codec.decode(v, SourceBound.class);
            out.put(b.worker(), b);
        });
        return out;
    }
}
