package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.PESSIMISM_OPERATION;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.shardddl.PessimismOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leader's answers to sources waiting at a sharded DDL ({@code /dm/shardddl/pessimism/operation/{task}/{source}}).
 * The leader puts them; the worker marks its own done, and only if it is still the operation it acted on, so a
 * newer lock's operation is never marked by an older one's worker.
 */
public final class PessimismOperationStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public PessimismOperationStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    /** An operation as stored: the raw value lets a later transaction require that it did not change. */
    public record Stored(PessimismOperation op, byte[] raw) {
    }

    /** An operation with the revision it was last written at (by the leader, or by the worker marking it done). */
    public record Entry(PessimismOperation op, byte[] raw, long modRevision) {
    }

    public Optional<Stored> get(String task, String source) {
        return kv.get(key(task, source)).map(b -> new Stored(codec.decode(b, PessimismOperation.class), b));
    }


    /** Every operation of every task as of store revision {@code revision} (0: the latest). */
    public List<Entry> allAt(long revision) {
        List<Entry> out = new ArrayList<>();
        kv.getPrefixAt(watchPrefix(), revision).entries().values()
                .forEach(e -> out.add(new Entry(codec.decode(e.value(), PessimismOperation.class), e.value(), e.modRevision())));
        return out;
    }

    /** Marks the operation done, unless it changed since it was read; returns whether it was marked. */
    public boolean markDone(Stored read) {
        String key = key(read.op().task(), read.op().source());
        return kv.txn().requireValue(key, read.raw()).put(key, codec.encode(read.op().markDone())).commit();
    }

    public byte[] encode(PessimismOperation op) {
        return codec.encode(op);
    }

    public String key(String task, String source) {
        return PESSIMISM_OPERATION.key(task, source);
    }

    /** The prefix of every operation of one task, for a caller's transaction (the task being deleted). */
    public String taskPrefix(String task) {
        return PESSIMISM_OPERATION.rangePrefix(task);
    }

    /** The prefix to watch for every change. */
    public String watchPrefix() {
        return PESSIMISM_OPERATION.prefix() + "/";
    }
}
