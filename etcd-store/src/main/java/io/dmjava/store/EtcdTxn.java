package io.dmjava.store;

import static io.dmjava.store.EtcdKv.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-key change applied atomically, optionally guarded by conditions on other keys: e.g. bind a
 * source only if the worker is still alive and unbound. Built by the store classes.
 */
public final class EtcdTxn {
    private final EtcdKv kv;
    private final List<Cmp> conditions = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final List<String> described = new ArrayList<>();

    EtcdTxn(EtcdKv kv) {
        this.kv = kv;
    }

    public EtcdTxn requireAbsent(String key) {
        conditions.add(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0)));
        return this;
    }

    public EtcdTxn requirePresent(String key) {
        conditions.add(new Cmp(bytes(key), Cmp.Op.GREATER, CmpTarget.version(0)));
        return this;
    }

    /** Requires the key's value to be exactly {@code value} (compare-and-swap). */
    public EtcdTxn requireValue(String key, byte[] value) {
        conditions.add(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value))));
        return this;
    }

    /** Requires the key to exist and to have been created at {@code revision} (not deleted and created again since). */
    public EtcdTxn requireCreateRevision(String key, long revision) {
        conditions.add(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(revision)));
        return this;
    }

    /** Puts the key under lease {@code leaseId} (it vanishes with that lease). */
    public EtcdTxn put(String key, byte[] value, long leaseId) {
        ops.add(Op.put(bytes(key), ByteSequence.from(value), PutOption.builder().withLeaseId(leaseId).build()));
        described.add("put " + key + " with lease " + Long.toHexString(leaseId));
        return this;
    }

    public EtcdTxn put(String key, byte[] value) {
        ops.add(Op.put(bytes(key), ByteSequence.from(value), PutOption.DEFAULT));
        described.add("put " + key);
        return this;
    }

    public EtcdTxn delete(String key) {
        ops.add(Op.delete(bytes(key), DeleteOption.DEFAULT));
        described.add("delete " + key);
        return this;
    }

    public EtcdTxn deletePrefix(String prefix) {
        ops.add(Op.delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()));
        described.add("delete " + prefix + "*");
        return this;
    }

    /** Applies every change if every condition holds; returns whether it did. */
    public boolean commit() {
        return kv.await(kv.client().getKVClient().txn()
                .If(conditions.toArray(Cmp[]::new))
                .Then(ops.toArray(Op[]::new))
                .commit(), "txn " + described).isSucceeded();
    }
}
