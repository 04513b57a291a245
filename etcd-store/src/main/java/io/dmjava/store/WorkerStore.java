package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.WORKER_ALIVE;
import static io.dmjava.model.etcd.EtcdKeys.WORKER_REGISTERED;

import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.etcd.JsonCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Worker registrations ({@code /dm/worker/registered}) and liveness keys ({@code /dm/worker/alive}). */
public final class WorkerStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public WorkerStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    public void register(WorkerInfo info) {
        kv.put(WORKER_REGISTERED.key(info.name()), codec.encode(info));
    }

    public Optional<WorkerInfo> registered(String name) {
        return kv.get(WORKER_REGISTERED.key(name)).map(b -> codec.decode(b, WorkerInfo.class));
    }

    public Map<String, WorkerInfo> registered() {
        Map<String, WorkerInfo> out = new LinkedHashMap<>();
        kv.getPrefix(WORKER_REGISTERED.rangePrefix()).forEach((k, v) -> {
            WorkerInfo w = codec.decode(v, WorkerInfo.class);
            out.put(w.name(), w);
        });
        return out;
    }

    /** Marks the worker alive for as long as {@code leaseId} lives. */
    public void putAlive(WorkerInfo info, long leaseId) {
        kv.put(WORKER_ALIVE.key(info.name()), codec.encode(info), leaseId);
    }

    /** The revision the worker's alive key was created at (0: it is not there): it changes only if the key vanished. */
    public long aliveCreatedAt(String name) {
        return kv.createRevision(WORKER_ALIVE.key(name));
    }

    /**
     * Moves the worker's alive key to lease {@code leaseId}, only if the key has existed without a break since
     * revision {@code createdAt} (so the worker never looked offline); returns whether it did.
     */
    public boolean moveAlive(WorkerInfo info, long createdAt, long leaseId) {
        String key = WORKER_ALIVE.key(info.name());
        return kv.txn().requireCreateRevision(key, createdAt).put(key, codec.encode(info), leaseId).commit();
    }

    public Set<String> alive() {
        Set<String> out = new TreeSet<>();
        kv.getPrefix(WORKER_ALIVE.rangePrefix()).keySet().forEach(k -> out.add(WORKER_ALIVE.lastSegment(k)));
        return out;
    }

    public boolean isAlive(String name) {
        return kv.get(WORKER_ALIVE.key(name)).isPresent();
    }

    /** Removes the worker's registration (an offline worker being decommissioned). */
    public void delete(String name) {
        kv.deleteAll(List.of(WORKER_REGISTERED.key(name), WORKER_ALIVE.key(name)));
    }
}
