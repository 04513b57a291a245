package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.RELAY_WORKER;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which workers pull which source's relay log ({@code /dm/relay-worker/{worker}} -> source name). */
public final class RelayWorkerStore {
    private final EtcdKv kv;

    public RelayWorkerStore(EtcdKv kv) {
        this.kv = kv;
    }

    /** Relay source by worker name. */
    public Map<String, String> relaySources() {
        Map<String, String> out = new LinkedHashMap<>();
        kv.getPrefix(RELAY_WORKER.rangePrefix())
                .forEach((k, v) -> out.put(RELAY_WORKER.lastSegment(k), new String(v, StandardCharsets.UTF_8)));
        return out;
    }
}
