package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.BOUND;
import static io.dmjava.model.etcd.EtcdKeys.LAST_BOUND;

import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.etcd.EtcdKeys;
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

    /**
     * Binds a source to a worker (and records it as the worker's last bound) if the worker is still
     * alive and serves no source; returns whether it did.
     */
    public boolean bind(SourceBound b) {
        byte[] v = codec.encode(b);
        return kv.txn()
                .requirePresent(EtcdKeys.WORKER_ALIVE.key(b.worker()))
                .requireAbsent(BOUND.key(b.worker()))
                .put(BOUND.key(b.worker()), v)
                .put(LAST_BOUND.key(b.worker()), v)
                .commit();
    }

    /** Moves a bound to another worker atomically, if the bound is still {@code from} and the target is alive and free. */
    public boolean transfer(SourceBound from, String toWorker) {
        SourceBound to = new SourceBound(from.source(), toWorker);
        byte[] v = codec.encode(to);
        return kv.txn()
                .requireValue(BOUND.key(from.worker()), codec.encode(from))
                .requirePresent(EtcdKeys.WORKER_ALIVE.key(toWorker))
                .requireAbsent(BOUND.key(toWorker))
                .delete(BOUND.key(from.worker()))
                .put(BOUND.key(toWorker), v)
                .put(LAST_BOUND.key(toWorker), v)
                .commit();
    }

    /** Removes the worker's bound (its last bound stays, for rebinding preferences). */
    public void unbind(String worker) {
        kv.delete(BOUND.key(worker));
    }

    /** The worker currently bound to the source, if any. */
    public Optional<String> workerOf(String source) {
        return bounds().values().stream().filter(b -> b.source().equals(source)).map(SourceBound::worker).findFirst();
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
