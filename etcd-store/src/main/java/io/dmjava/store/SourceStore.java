package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.SOURCE_CONFIG;
import static io.dmjava.model.etcd.EtcdKeys.SOURCE_META;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.source.SourceMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Source configs ({@code /dm/source/config/{source}}), stored with the password already encrypted. */
public final class SourceStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public SourceStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    public Optional<SourceConfig> get(String name) {
        return kv.get(SOURCE_CONFIG.key(name)).map(b -> codec.decode(b, SourceConfig.class));
    }

    /** Every source by name, in name order. */
    public Map<String, SourceConfig> all() {
        Map<String, SourceConfig> out = new LinkedHashMap<>();
        kv.getPrefix(SOURCE_CONFIG.rangePrefix()).values().forEach(v -> {
            SourceConfig s = codec.decode(v, SourceConfig.class);
            out.put(s.sourceName(), s);
        });
        return out;
    }

    /** Rewrites the config only (enable/disable keeps the meta). */
    public void put(SourceConfig encrypted) {
        kv.put(SOURCE_CONFIG.key(encrypted.sourceName()), codec.encode(encrypted));
    }

    public String key(String name) {
        return SOURCE_CONFIG.key(name);
    }

    public String metaKey(String name) {
        return SOURCE_META.key(name);
    }

    public Map<String, SourceMeta> metas() {
        Map<String, SourceMeta> out = new LinkedHashMap<>();
        kv.getPrefix(SOURCE_META.rangePrefix()).forEach((k, v) -> out.put(SOURCE_META.lastSegment(k), codec.decode(v, SourceMeta.class)));
        return out;
    }

    /** Creates the source and its meta atomically; returns false if the name is taken. */
    public boolean create(SourceConfig encrypted, SourceMeta meta) {
        return kv.txn().requireAbsent(key(encrypted.sourceName()))
                .put(key(encrypted.sourceName()), codec.encode(encrypted))
                .put(metaKey(encrypted.sourceName()), codec.encode(meta))
                .commit();
    }

    public void put(SourceConfig encrypted, SourceMeta meta) {
        kv.txn().put(key(encrypted.sourceName()), codec.encode(encrypted))
                .put(metaKey(encrypted.sourceName()), codec.encode(meta))
                .commit();
    }
}
