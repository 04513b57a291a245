package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.BINLOG_OPERATOR;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.task.BinlogOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Binlog operators waiting for their DDL event ({@code /dm/binlog-operator/{task}/{source}} -> JSON list), DM's
 * {@code binlog skip|replace}. The master adds and removes them for users; the worker's sync unit reads them at
 * each DDL and removes the one it used. At most one operator per position: a new one replaces the old.
 * Changes are compare-and-swap on the whole list, so the master and a worker never lose each other's edits.
 */
public final class BinlogOperatorStore {
    private static final int ATTEMPTS = 32;

    private final EtcdKv kv;
    private final JsonCodec codec;

    public BinlogOperatorStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    /** The operators of one subtask, in the order they were added. */
    public List<BinlogOperator> list(String task, String source) {
        return kv.get(BINLOG_OPERATOR.key(task, source)).map(this::decode).orElse(List.of());
    }

    /** Adds the operator, replacing one at the same position. */
    public void put(String task, String source, BinlogOperator op) {
        update(task, source, ops -> {
            List<BinlogOperator> out = new ArrayList<>(ops);
            out.removeIf(o -> o.position().equals(op.position()));
            out.add(op);
            return out;
        });
    }

    /** Removes the operator at {@code position}; returns it, or empty when there was none. */
    public Optional<BinlogOperator> remove(String task, String source, BinlogOperator.Position position) {
        BinlogOperator[] removed = new BinlogOperator[1];
        update(task, source, ops -> {
            List<BinlogOperator> out = new ArrayList<>(ops);
            removed[0] = ops.stream().filter(o -> position.equals(o.position())).findFirst().orElse(null);
            out.removeIf(o -> position.equals(o.position()));
            return out;
        });
        return Optional.ofNullable(removed[0]);
    }

    /** The prefix of every operator of one task, for a caller's transaction (the task being deleted). */
    public String taskPrefix(String task) {
        return BINLOG_OPERATOR.rangePrefix(task);
    }

    private void update(String task, String source, UnaryOperator<List<BinlogOperator>> change) {
        String key = BINLOG_OPERATOR.key(task, source);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<byte[]> old = kv.get(key);
            List<BinlogOperator> next = change.apply(old.map(this::decode).orElse(List.of()));
            EtcdTxn txn = kv.txn();
            txn = old.isPresent() ? txn.requireValue(key, old.get()) : txn.requireAbsent(key);
            txn = next.isEmpty() ? txn.delete(key) : txn.put(key, codec.encode(next));
            if (txn.commit()) {
                return;
            }
        }
        throw new IllegalStateException("the binlog operators of " + task + "/" + source + " kept changing during "
                + ATTEMPTS + " attempts to update them");
    }

    private List<BinlogOperator> decode(byte[] bytes) {
        return List.of(codec.decode(bytes, BinlogOperator[].class));
    }
}
