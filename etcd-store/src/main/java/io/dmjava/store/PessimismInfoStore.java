package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.PESSIMISM_INFO;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.shardddl.PessimismInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sources waiting at a sharded DDL in pessimistic shard mode ({@code /dm/shardddl/pessimism/info/{task}/{source}}).
 * The worker's sync unit puts its info and waits; the leader's pessimist reads them and removes a lock's infos,
 * each only if it is still the one it read, once every source is done.
 */
public final class PessimismInfoStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public PessimismInfoStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }


    /**
     * An info with its etcd revisions: the create revision orders the sources' arrival (it stays while the source
     * updates its info, and goes when the leader deletes it), the mod revision tells an info put after the source's
     * operation was marked done (its next DDL) from the one the operation answered.
     */
    public record Entry(PessimismInfo info, byte[] raw, long createRevision, long modRevision) {
    }

    /** Every info of every task as of one store revision, which {@link PessimismOperationStore#allAt} can share. */
    public record Snapshot(List<Entry> entries, long revision) {
    }

    public void put(PessimismInfo info) {
        kv.put(key(info.task(), info.source()), codec.encode(info));
    }

    public Optional<PessimismInfo> get(String task, String source) {
        return kv.get(key(task, source)).map(b -> codec.decode(b, PessimismInfo.class));
    }


    /** Every info of every task, read at one revision (the latest). */
    public Snapshot snapshot() {
        EtcdKv.Range r = kv.getPrefixAt(watchPrefix(), 0);
        List<Entry> out = new ArrayList<>();
        r.entries().values().forEach(e -> out.add(new Entry(codec.decode(e.value(), PessimismInfo.class), e.value(),
                e.createRevision(), e.modRevision())));
        return new Snapshot(out, r.revision());
    }

    public String key(String task, String source) {
        return PESSIMISM_INFO.key(task, source);
    }

    /** The prefix of every info of one task, for a caller's transaction (the task being deleted). */
    public String taskPrefix(String task) {
        return PESSIMISM_INFO.rangePrefix(task);
    }

    /** The prefix to watch for every change. */
    public String watchPrefix() {
        return PESSIMISM_INFO.prefix() + "/";
    }
}
