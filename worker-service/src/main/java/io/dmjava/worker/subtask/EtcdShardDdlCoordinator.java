package io.dmjava.worker.subtask;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import io.dmjava.worker.sync.ShardDdlCoordinator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shard-DDL coordination through etcd: the info and operation keys the leader's pessimist reads and writes. Waiting
 * polls the operation key (an answer takes a leader round trip anyway); etcd being unreachable only prolongs the
 * wait, it never pauses the subtask, since the stream is blocked at the DDL either way.
 */
public final class EtcdShardDdlCoordinator implements ShardDdlCoordinator {
    private static final Logger log = LoggerFactory.getLogger(EtcdShardDdlCoordinator.class);
    private static final JsonCodec CODEC = new JsonCodec();
    private static final long POLL_MILLIS = 200;
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final Supplier<Optional<EtcdKv>> kv;
    private final String task;
    private final String source;
    /** The operation {@link #await} returned, as read: {@link #done} marks exactly that value. */
    private PessimismOperationStore.Stored answered;

    /** The coordinators of every subtask of the worker connected through {@code kv}. */
    public static ShardDdlCoordinator.Factory factory(Supplier<Optional<EtcdKv>> kv) {
        return (task, source) -> new EtcdShardDdlCoordinator(kv, task, source);
    }

    private EtcdShardDdlCoordinator(Supplier<Optional<EtcdKv>> kv, String task, String source) {
        this.kv = kv;
        this.task = task;
        this.source = source;
    }

    @Override
    public Optional<PessimismOperation> await(PessimismInfo info, BooleanSupplier stop) throws InterruptedException {
        boolean published = false;
        long started = System.currentTimeMillis();
        long nextLog = started + LOG_EVERY_MILLIS;
        while (!stop.getAsBoolean()) {
            try {
                if (!published) {
                    infos().put(info);
                    published = true;
                    log.info("shard DDL {}: {}/{} waits at {} for {}", info.lockId(), task, source, info.binlogPos(), info.ddls());
                }
                Optional<PessimismOperationStore.Stored> op = ops().get(task, source);
                if (op.isPresent() && op.get().op().answers(info)) {
                    answered = op.get();
                    return Optional.of(op.get().op());
                }
            } catch (RuntimeException e) {
                log.warn("shard DDL {}: etcd did not answer ({}); {}/{} keeps waiting", info.lockId(), e.getMessage(), task, source);
            }
            if (System.currentTimeMillis() >= nextLog) {
                log.info("shard DDL {}: {}/{} still waits for the other sources after {} s", info.lockId(), task, source,
                        (System.currentTimeMillis() - started) / 1000);
                nextLog += LOG_EVERY_MILLIS;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Optional.empty();
    }

    @Override
    public void done(PessimismOperation op, BooleanSupplier stop) throws InterruptedException {
        PessimismOperationStore.Stored read = answered;
        if (read == null || !read.op().equals(op)) {
            return;
        }
        while (!stop.getAsBoolean()) {
            try {
                if (!ops().markDone(read)) {
                    log.info("shard DDL {}: the operation of {}/{} changed before it was marked done", op.lockId(), task, source);
                }
                answered = null;
                return;
            } catch (RuntimeException e) {
                log.warn("shard DDL {}: marking {}/{} done failed ({}); retrying", op.lockId(), task, source, e.getMessage());
                Thread.sleep(POLL_MILLIS);
            }
        }
        // Stopped first: the next run's settle() marks it, its checkpoint being past the DDL.
    }

    @Override
    public void settle(Predicate<String> passed) {
        try {
            Optional<PessimismOperationStore.Stored> op = ops().get(task, source);
            Optional<PessimismInfo> info = infos().get(task, source);
            if (op.isPresent() && info.isPresent() && op.get().op().answers(info.get()) && op.get().op().conflict() == null
                    && passed.test(info.get().binlogPos())) {
                ops().markDone(op.get());
                log.info("shard DDL {}: {}/{} is past {} already: marked done", op.get().op().lockId(), task, source,
                        info.get().binlogPos());
            }
        } catch (RuntimeException e) {
            // The lock then waits until a later run settles it; the subtask itself is not blocked by it.
            log.warn("shard DDL of {}/{}: cannot check for an unfinished operation: {}", task, source, e.getMessage());
        }
    }

    private PessimismInfoStore infos() {
        return new PessimismInfoStore(etcd(), CODEC);
    }

    private PessimismOperationStore ops() {
        return new PessimismOperationStore(etcd(), CODEC);
    }

    private EtcdKv etcd() {
        return kv.get().orElseThrow(() -> new IllegalStateException("the worker is not connected to etcd"));
    }
}
