package io.dmjava.worker.subtask;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.store.BinlogOperatorStore;
import io.dmjava.store.EtcdKv;
import io.dmjava.worker.sync.BinlogOperatorSource;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subtask's binlog operators as the master stored them in etcd. Reading them fails closed: a DDL the user may
 * have asked to skip is not run while etcd cannot be asked (the subtask pauses and is resumed later).
 */
public final class EtcdBinlogOperators implements BinlogOperatorSource {
    private static final Logger log = LoggerFactory.getLogger(EtcdBinlogOperators.class);
    private static final JsonCodec CODEC = new JsonCodec();

    private final Supplier<Optional<EtcdKv>> kv;
    private final String task;
    private final String source;

    /** The operators of every subtask of the worker connected through {@code kv}. */
    public static BinlogOperatorSource.Factory factory(Supplier<Optional<EtcdKv>> kv) {
        return (task, source) -> new EtcdBinlogOperators(kv, task, source);
    }

    private EtcdBinlogOperators(Supplier<Optional<EtcdKv>> kv, String task, String source) {
        this.kv = kv;
        this.task = task;
        this.source = source;
    }

    @Override
    public Optional<BinlogOperator> at(String file, long start, long end) {
        try {
            return store().list(task, source).stream().filter(o -> o.matches(file, start, end)).findFirst();
        } catch (RuntimeException e) {
            throw new DmException(ErrorCode.SYNC_BINLOG_OPERATORS_UNAVAILABLE, e, task, source, e.getMessage());
        }
    }

    @Override
    public void used(BinlogOperator op) {
        try {
            store().remove(task, source, op.position());
        } catch (RuntimeException e) {
            // Left in etcd it is harmless: the checkpoint is past its event, which is never read again.
            log.warn("binlog operator {} of {}/{} was used but could not be removed: {}", op.binlogPos(), task, source,
                    e.getMessage());
        }
    }

    private BinlogOperatorStore store() {
        EtcdKv etcd = kv.get().orElseThrow(() -> new IllegalStateException("the worker is not connected to etcd"));
        return new BinlogOperatorStore(etcd, CODEC);
    }
}
