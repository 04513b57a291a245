package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.MASTER_ALIVE;
import static io.dmjava.model.etcd.EtcdKeys.MASTER_EVICTED;
import static io.dmjava.model.etcd.EtcdKeys.MASTER_REGISTERED;

import io.dmjava.model.cluster.MasterInfo;
import io.dmjava.model.etcd.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Master registrations, liveness keys and leader evictions ({@code /dm/master/registered|alive|evicted}).
 */
public final class MasterStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public MasterStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    public void register(MasterInfo info) {
        kv.put(MASTER_REGISTERED.key(info.name()), codec.encode(info));
    }

    public Optional<MasterInfo> registered(String name) {
        return kv.get(MASTER_REGISTERED.key(name)).map(b -> codec.decode(b, MasterInfo.class));
    }

    public Map<String, MasterInfo> registered() {
        Map<String, MasterInfo> out = new LinkedHashMap<>();
        kv.getPrefix(MASTER_REGISTERED.rangePrefix()).forEach((k, v) -> {
            MasterInfo m = codec.decode(v, MasterInfo.class);
            out.put(m.name(), m);
        });
        return out;
    }

    public void putAlive(String name, long leaseId) {
        kv.put(MASTER_ALIVE.key(name), name.getBytes(StandardCharsets.UTF_8), leaseId);
    }

    public Set<String> alive() {
        return names(MASTER_ALIVE.rangePrefix(), MASTER_ALIVE::lastSegment);
    }

    public void delete(String name) {
        kv.deleteAll(List.of(MASTER_REGISTERED.key(name), MASTER_ALIVE.key(name), MASTER_EVICTED.key(name)));
    }

    public void evict(String name) {
        kv.put(MASTER_EVICTED.key(name), name.getBytes(StandardCharsets.UTF_8));
    }

    /** Cancels the eviction of one master; returns whether it was evicted. */
    public boolean cancelEvict(String name) {
        return kv.delete(MASTER_EVICTED.key(name));
    }

    public Set<String> evicted() {
        return names(MASTER_EVICTED.rangePrefix(), MASTER_EVICTED::lastSegment);
    }

    public boolean isEvicted(String name) {
        return kv.get(MASTER_EVICTED.key(name)).isPresent();
    }

    /** The key watched by a master to learn it has been evicted. */
    public String evictedKey(String name) {
        return MASTER_EVICTED.key(name);
    }

    private Set<String> names(String prefix, java.util.function.Function<String, String> nameOf) {
        Set<String> out = new TreeSet<>();
        kv.getPrefix(prefix).keySet().forEach(k -> out.add(nameOf.apply(k)));
        return out;
    }
}
