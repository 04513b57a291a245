package io.dmjava.store;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Blocking key/value access to etcd with one timeout for every call. A call that cannot reach a
 * quorum in time fails with {@link ErrorCode#ETCD_UNAVAILABLE} instead of hanging a request thread.
 * Store classes use this; nothing else talks to the KV API directly.
 */
public final class EtcdKv {
    private final Client client;
    private final Duration timeout;

    public EtcdKv(Client client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    public Client client() {
        return client;
    }

    public Duration timeout() {
        return timeout;
    }

    public Optional<byte[]> get(String key) {
        return first(key).map(kv -> kv.getValue().getBytes());
    }

    /** The revision at which the key was created (it stays through updates), or 0 when it does not exist. */
    public long createRevision(String key) {
        return first(key).map(KeyValue::getCreateRevision).orElse(0L);
    }

    /** The lease the key is attached to (0: none, or no such key). */
    public long leaseOf(String key) {
        return first(key).map(KeyValue::getLease).orElse(0L);
    }

    private Optional<KeyValue> first(String key) {
        List<KeyValue> kvs = await(client.getKVClient().get(bytes(key)), "get " + key).getKvs();
        return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
    }

    /** A value with the revision it was last written at. */
    public record Entry(byte[] value, long modRevision) {
    }

    /** Every key under {@code prefix} with its modification revision, in key order. */
    public Map<String, Entry> getPrefixEntries(String prefix) {
        GetOption opt = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY).build();
        Map<String, Entry> out = new LinkedHashMap<>();
        for (KeyValue kv : await(client.getKVClient().get(bytes(prefix), opt), "range " + prefix).getKvs()) {
            out.put(string(kv.getKey()), new Entry(kv.getValue().getBytes(), kv.getModRevision()));
        }
        return out;
    }

    /** A value with the revisions it was created (kept through updates) and last written at. */
    public record Revisioned(byte[] value, long createRevision, long modRevision) {
    }

    /** The keys of one range read and the store revision the read saw. */
    public record Range(Map<String, Revisioned> entries, long revision) {
    }

    /**
     * Every key under {@code prefix} with its revisions, in key order, as of {@code revision} (0: the latest). Two
     * reads at the same revision see one consistent state, e.g. two key families that a transaction writes together.
     */
    public Range getPrefixAt(String prefix, long revision) {
        GetOption.Builder b = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY);
        if (revision > 0) {
            b.withRevision(revision);
        }
        var resp = await(client.getKVClient().get(bytes(prefix), b.build()), "range " + prefix);
        Map<String, Revisioned> out = new LinkedHashMap<>();
        for (KeyValue kv : resp.getKvs()) {
            out.put(string(kv.getKey()), new Revisioned(kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision()));
        }
        return new Range(out, resp.getHeader().getRevision());
    }

    /** Every key under {@code prefix}, in key order. */
    public Map<String, byte[]> getPrefix(String prefix) {
        GetOption opt = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY).build();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (KeyValue kv : await(client.getKVClient().get(bytes(prefix), opt), "range " + prefix).getKvs()) {
            out.put(string(kv.getKey()), kv.getValue().getBytes());
        }
        return out;
    }

    public void put(String key, byte[] value) {
        await(client.getKVClient().put(bytes(key), ByteSequence.from(value)), "put " + key);
    }

    /** Puts a key that disappears when the lease expires or is revoked. */
    public void put(String key, byte[] value, long leaseId) {
        PutOption opt = PutOption.builder().withLeaseId(leaseId).build();
        await(client.getKVClient().put(bytes(key), ByteSequence.from(value), opt), "put " + key);
    }

    /** Creates the key only if it does not exist; returns whether it was created. */
    public boolean putIfAbsent(String key, byte[] value) {
        ByteSequence k = bytes(key);
        return await(client.getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .commit(), "create " + key).isSucceeded();
    }

    /** Deletes the key; returns whether it existed. */
    public boolean delete(String key) {
        return await(client.getKVClient().delete(bytes(key)), "delete " + key).getDeleted() > 0;
    }

    /** Deletes several keys in one transaction, so a reader never sees half of them gone. */
    public void deleteAll(List<String> keys) {
        Op[] ops = keys.stream().map(k -> Op.delete(bytes(k), DeleteOption.DEFAULT)).toArray(Op[]::new);
        await(client.getKVClient().txn().Then(ops).commit(), "delete " + keys);
    }

    /** Starts a transaction: conditions and changes applied atomically on {@link EtcdTxn#commit()}. */
    public EtcdTxn txn() {
        return new EtcdTxn(this);
    }

    /**
     * Watches every key under {@code prefix}. The listener runs on jetcd's executor; a watch error
     * (e.g. compaction) is passed to {@code onError} so the owner can rebuild its view from a fresh read.
     */
    public Watch.Watcher watchPrefix(String prefix, Consumer<WatchResponse> listener, Consumer<Throwable> onError) {
        WatchOption opt = WatchOption.builder().isPrefix(true).build();
        return client.getWatchClient().watch(bytes(prefix), opt, listener, onError);
    }

    /** Waits for an etcd call, turning every failure into {@link ErrorCode#ETCD_UNAVAILABLE}. */
    public <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new DmException(ErrorCode.ETCD_UNAVAILABLE, e, what + " interrupted");
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DmException(ErrorCode.ETCD_UNAVAILABLE, e, what + " timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new DmException(ErrorCode.ETCD_UNAVAILABLE, c, what + ": " + c.getMessage());
        }
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
