package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.RELAY_WORKER;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The source whose relay log {@code worker} pulls, if any. */
    public Optional<String> relaySource(String worker) {
        return kv.get(RELAY_WORKER.key(worker)).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    /** The relay workers of {@code source}, in name order. */
    public List<String> workersOf(String source) {
        return relaySources().entrySet().stream().filter(e -> e.getValue().equals(source)).map(Map.Entry::getKey).toList();
    }

    public String key(String worker) {
        return RELAY_WORKER.key(worker);
    }

    public static byte[] encode(String source) {
        return source.getBytes(StandardCharsets.UTF_8);
    }
}
