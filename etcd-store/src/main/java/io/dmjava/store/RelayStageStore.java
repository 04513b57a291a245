package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.SOURCE_CONFIG;
import static io.dmjava.model.etcd.EtcdKeys.STAGE_RELAY;

import io.dmjava.model.cluster.Stage;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.source.SourceConfig;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

/**
 * The expected stage of each source's relay ({@code /dm/stage/relay/{source}}): {@code Running} while the relay
 * is enabled; no key when it is disabled. The bound worker and the source's relay workers follow it. Enabling and
 * disabling change the stage, the source's {@code relay_config} and the relay-worker keys in one transaction.
 */
public final class RelayStageStore {
    private final EtcdKv kv;
    private final JsonCodec codec;
    private final RelayWorkerStore workers;

    public RelayStageStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
        this.workers = new RelayWorkerStore(kv);
    }

    public Optional<Stage> stage(String source) {
        return kv.get(STAGE_RELAY.key(source)).map(b -> Stage.valueOf(new String(b, StandardCharsets.UTF_8)));
    }

    /**
     * Enables the relay: stores {@code encrypted} (its relay_config enabled), sets the stage Running and makes
     * {@code relayWorkers} relay workers of the source, provided none of them pulls another source's relay.
     *
     * @return false when a worker became the relay worker of another source meanwhile
     */
    public boolean enable(SourceConfig encrypted, Collection<String> relayWorkers) {
        String source = encrypted.sourceName();
        EtcdTxn txn = kv.txn().requirePresent(SOURCE_CONFIG.key(source))
                .put(SOURCE_CONFIG.key(source), codec.encode(encrypted))
                .put(STAGE_RELAY.key(source), Stage.Running.name().getBytes(StandardCharsets.UTF_8));
        for (String w : relayWorkers) {
            Optional<String> current = workers.relaySource(w);
            if (current.isPresent() && !current.get().equals(source)) {
                return false;
            }
            if (current.isPresent()) {
                txn.requireValue(workers.key(w), RelayWorkerStore.encode(source));
            } else {
                txn.requireAbsent(workers.key(w));
            }
            txn.put(workers.key(w), RelayWorkerStore.encode(source));
        }
        return txn.commit();
    }

    /**
     * Releases {@code relayWorkers}; with {@code all}, also stops the relay (stage key removed, relay_config
     * disabled in {@code encrypted}) and releases every relay worker of the source.
     */
    public void disable(SourceConfig encrypted, Collection<String> relayWorkers, boolean all) {
        String source = encrypted.sourceName();
        EtcdTxn txn = kv.txn();
        for (String w : all ? workers.workersOf(source) : relayWorkers) {
            txn.delete(workers.key(w));
        }
        if (all) {
            txn.delete(STAGE_RELAY.key(source)).put(SOURCE_CONFIG.key(source), codec.encode(encrypted));
        }
        txn.commit();
    }

    /** The keys to delete with the source. */
    public String key(String source) {
        return STAGE_RELAY.key(source);
    }
}
