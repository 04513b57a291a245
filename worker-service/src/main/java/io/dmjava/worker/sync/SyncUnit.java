package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskStartArgs;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.dump.PositionReader;
import io.dmjava.worker.load.TargetSession;
import io.dmjava.worker.sync.apply.ApplyQueues;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.sync.binlog.BinlogEvent;
import io.dmjava.worker.sync.binlog.BinlogInput;
import io.dmjava.worker.sync.binlog.BinlogStreamException;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.sync.binlog.Heartbeat;
import io.dmjava.worker.sync.binlog.QueryEvent;
import io.dmjava.worker.sync.binlog.RowsEvent;
import io.dmjava.worker.sync.binlog.TxnCommit;
import io.dmjava.worker.sync.checkpoint.AppliedMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpoint;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import io.dmjava.worker.sync.filter.BinlogFilter;
import io.dmjava.worker.sync.schema.SchemaTracker;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync unit: replicates the upstream binlog downstream from the checkpoint on, for as long as the
 * subtask runs. One thread reads the stream and dispatches ({@link RowDispatcher}, {@link DdlHandler}); the
 * apply queues write. A lost upstream connection is re-opened at the last transaction boundary; a pause or
 * stop drains the queues and saves the checkpoint; a crash is recovered by the next run from the checkpoint
 * and the queues' applied marks, without losing or repeating a change.
 *
 * <p>Input: the worker's relay files of the source while its relay runs and holds the position to resume from,
 * else the upstream ({@link SyncInputs}); the unit moves between the two at a transaction boundary.
 */
public final class SyncUnit implements Unit {
    private static final Logger log = LoggerFactory.getLogger(SyncUnit.class);
    /** Reconnect attempts in a row before the subtask pauses with the error. */
    static final int MAX_RECONNECTS = 10;

    private final MeterRegistry registry;
    private final boolean afterDump;
    private final Duration flushInterval;
    private final Duration heartbeat;
    private final BinlogOperatorSource.Factory operators;
    private final RelayLogs relays;
    private final ShardDdlCoordinator.Factory shardDdl;
    private final SyncProgress progress = new SyncProgress();
    private volatile String binlogType = "remote";

    /** A sync unit without binlog operators. */
    public SyncUnit(boolean afterDump, Duration flushInterval, Duration heartbeat, MeterRegistry registry) {
        this(afterDump, flushInterval, heartbeat, registry, (task, source) -> BinlogOperatorSource.none());
    }

    /**
     * @param afterDump true in task mode {@code all}: a first start begins at the dump's position
     * @param operators where the subtask's binlog skip/replace operators are kept
     */
    public SyncUnit(boolean afterDump, Duration flushInterval, Duration heartbeat, MeterRegistry registry,
                    BinlogOperatorSource.Factory operators) {
        this(afterDump, flushInterval, heartbeat, registry, operators, new RelayLogs());
    }

    /**
     * @param relays the worker's relays (read instead of the upstream while they hold the position) and where the
     *               unit tells which relay file its checkpoint needs
     */
    public SyncUnit(boolean afterDump, Duration flushInterval, Duration heartbeat, MeterRegistry registry,
                    BinlogOperatorSource.Factory operators, RelayLogs relays) {
        this(afterDump, flushInterval, heartbeat, registry, operators, relays, ShardDdlCoordinator.Factory.NONE);
    }

    /** @param shardDdl where the subtask coordinates DDL of merged tables in pessimistic shard mode */
    public SyncUnit(boolean afterDump, Duration flushInterval, Duration heartbeat, MeterRegistry registry,
                    BinlogOperatorSource.Factory operators, RelayLogs relays, ShardDdlCoordinator.Factory shardDdl) {
        this.shardDdl = shardDdl;
        this.relays = relays;
        this.registry = registry;
        this.operators = operators;
        this.afterDump = afterDump;
        this.flushInterval = flushInterval;
        this.heartbeat = heartbeat;
    }

    @Override
    public String type() {
        return "sync";
    }

    @Override
    public Object status() {
        return progress.status(binlogType);
    }

    @Override
    public void run(UnitContext ctx) throws InterruptedException {
        try (SyncMetrics metrics = new SyncMetrics(registry, ctx.taskName(), ctx.sourceName(), progress)) {
            replicate(ctx);
        }
    }

    private void replicate(UnitContext ctx) throws InterruptedException {
        SyncOptions opts = SyncOptions.of(ctx.task(), flushInterval, heartbeat);
        JdbcConnector target = new JdbcConnector(ctx.target(), TargetSession.statements());
        JdbcConnector source = new JdbcConnector(ctx.source(), List.of());
        SyncCheckpointStore store = new SyncCheckpointStore(ctx.metaSchema(), ctx.taskName(), ctx.sourceName(), ctx.fence());
        try (Connection meta = target.open(); Connection trackerConn = target.open(); Connection ddlConn = target.open()) {
            store.ensure(meta);
            meta.setAutoCommit(false);
            SchemaTracker tracker = new SchemaTracker(trackerConn, ctx.taskName() + "/" + ctx.sourceName());
            Optional<SyncCheckpoint> cp = store.load(meta);
            Map<Integer, AppliedMark> marks = store.applied(meta);
            TaskStartArgs args = ctx.startArgs();
            // A start request is acted on once: its id is saved with the checkpoint, so a restart resumes from there.
            boolean newRequest = args != null && (cp.isEmpty() || !args.requestId().equals(cp.get().start().request()));
            boolean byTime = newRequest && args.startEpochSecond() != null && !afterDump;
            SyncStart start;
            if (byTime) {
                start = SyncStart.atTime(ctx, args, () -> open(source, ctx), () -> open(target, ctx), cp, marks.values());
                marks = Map.of(); // a run from another position assigns queues differently: safe mode covers instead
            } else if (cp.isPresent()) {
                start = new SyncStart(cp.get().position(), cp.get().safeUntil(), Map.of());
            } else {
                start = afterDump ? SyncStart.afterDump(ctx) : SyncStart.incremental(ctx, () -> open(source, ctx), () -> open(target, ctx));
            }
            // The shadow tables are rebuilt under the DDL lock: a stale owner's tracker cannot write them meanwhile.
            if (cp.isPresent() && !byTime) {
                ctx.fence().ddl(trackerConn, () -> tracker.restore(cp.get().tables()));
            } else {
                Map<TableName, String> seeds = start.tables();
                Set<TableName> earlier = cp.isPresent() ? cp.get().tables().keySet() : Set.of();
                ctx.fence().ddl(trackerConn, () -> {
                    tracker.restore(Map.of());
                    for (var t : seeds.entrySet()) {
                        tracker.create(t.getKey(), t.getValue());
                    }
                    for (TableName t : earlier) {
                        if (!seeds.containsKey(t)) {
                            tracker.forget(t); // the earlier run's structure is not this position's
                        }
                    }
                });
            }
            meta.commit();
            SafeModeWindow window = args == null ? SafeModeWindow.none()
                    : SafeModeWindow.of(args.safeModeDuration(), newRequest ? null : cp.get().start().safeModeExitTs());
            log.info("sync {}/{}: starting at {}{}{}", ctx.taskName(), ctx.sourceName(), start.position(),
                    start.safeUntil() == null ? "" : ", safe mode until " + start.safeUntil(),
                    window.open() ? ", safe mode for " + args.safeModeTimeDuration() + " of binlog time" : "");
            try (ApplyQueues queues = new ApplyQueues(opts.replThreads(), opts.replBatch(), target, store, progress.apply)) {
                queues.start("sync-" + ctx.taskName() + "-" + ctx.sourceName());
                SyncRun run = new SyncRun(queues, tracker, store, meta, ctx.stopRequested(), marks, opts.safeModeAlways(),
                        start.position(), start.safeUntil(), args == null ? null : args.requestId(), window);
                if (cp.isEmpty() || byTime) {
                    run.saveCheckpoint(start.position());
                }
                progress.applied(start.position());
                progress.safeMode = run.safeModeAt(start.position());
                ShardDdlCoordinator coordinator = shardDdl.forSubtask(ctx.taskName(), ctx.sourceName());
                if ("pessimistic".equals(ctx.task().shardMode())) {
                    BinlogPosition cpAt = run.checkpoint();
                    coordinator.settle(pos -> passed(cpAt, pos));
                }
                ShardGate gate = new ShardGate(ctx.task().shardMode(), ctx.taskName(), ctx.sourceName(), coordinator,
                        merged -> ShardTables.of(source, ctx, merged), progress);
                SyncInputs inputs = new SyncInputs(relays, ctx, opts, ThreadLocalRandom.current().nextLong(1L << 30, 1L << 31));
                inputs.needs(run.checkpoint());
                stream(ctx, run, source, inputs, new DdlHandler(run, ctx.router(), new BinlogFilter(ctx.task(), ctx.sourceName()),
                        ddlConn, operators.forSubtask(ctx.taskName(), ctx.sourceName()), ctx.fence(), gate), opts.flushInterval().toNanos());
                run.flush();
                inputs.needs(run.checkpoint()); // a paused subtask resumes here: the relay keeps this file
                progress.applied(run.checkpoint());
                log.info("sync {}/{}: stopped at {}", ctx.taskName(), ctx.sourceName(), run.checkpoint());
            }
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, e, store.toString(), SqlErrors.describe(e));
        }
    }

    private void stream(UnitContext ctx, SyncRun run, JdbcConnector source, SyncInputs inputs, DdlHandler ddl,
                        long flushNanos) throws InterruptedException {
        RowDispatcher rows = new RowDispatcher(run, ctx.router(), ddl.filter());
        long nextMasterPoll = 0;
        int failures = 0;
        while (!stopping(ctx, run)) {
            BinlogPosition from = run.boundary();
            try (BinlogInput input = inputs.open(from)) {
                binlogType = input.type();
                while (!stopping(ctx, run)) {
                    inputs.needs(run.checkpoint());
                    if (!run.inTransaction() && inputs.shouldSwitch(input, run.boundary())) {
                        break; // reopened at the boundary from the other input
                    }
                    if (System.nanoTime() >= nextMasterPoll) {
                        pollMaster(source, ctx);
                        nextMasterPoll = System.nanoTime() + 5_000_000_000L;
                    }
                    BinlogEvent e = input.next(Duration.ofMillis(200));
                    run.queues.throwIfFailed();
                    progress.pending = run.queues.pending();
                    progress.safeMode = run.safeModeAt(run.boundary());
                    progress.tick();
                    if (e == null || e instanceof Heartbeat) {
                        progress.caughtUp = true;
                        if (!run.inTransaction() && !run.replaying() && run.flushDue(flushNanos)
                                && !run.boundary().equals(run.checkpoint())) {
                            run.flush();
                        }
                        progress.applied(progress.pending == 0 ? run.boundary() : run.checkpoint());
                        continue;
                    }
                    failures = 0;
                    progress.caughtUp = false;
                    progress.events++;
                    if (e instanceof RowsEvent r) {
                        rows.handle(r);
                    } else if (e instanceof QueryEvent q) {
                        ddl.handle(q);
                    } else if (e instanceof TxnCommit c) {
                        run.reachedBoundary(c.position());
                        run.committedAt(c.timestampMillis());
                        progress.lastCommitMillis = c.timestampMillis();
                        if (!run.replaying() && run.flushDue(flushNanos)) {
                            run.flush();
                        }
                    }
                    progress.applied(run.checkpoint());
                    progress.read(run.boundary());
                }
            } catch (BinlogStreamException ex) {
                failures++;
                if (!ex.retryable()) {
                    throw new DmException(ex.errorCode(), ex, ex.args());
                }
                if (failures > MAX_RECONNECTS) {
                    throw new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, ex, ctx.sourceName(), ex.getMessage());
                }
                long backoff = Math.min(200L << Math.min(failures, 6), 10_000L);
                log.warn("sync {}/{}: binlog stream lost ({}); reconnecting at {} in {} ms (attempt {} of {})",
                        ctx.taskName(), ctx.sourceName(), ex.getMessage(), run.boundary(), backoff, failures, MAX_RECONNECTS);
                sleepUnlessStopped(ctx, backoff);
            }
        }
    }

    /**
     * A stop takes effect at a transaction boundary: the checkpoint can only name such a point, and the
     * queue marks stay exact only if nothing past the checkpoint was dispatched.
     */
    private static boolean stopping(UnitContext ctx, SyncRun run) {
        return ctx.stopRequested().getAsBoolean() && !run.inTransaction();
    }

    /** Whether {@code checkpoint} is past the event starting at {@code binlogPos} ({@code file:offset}). */
    static boolean passed(BinlogPosition checkpoint, String binlogPos) {
        BinlogOperator.Position start = BinlogOperator.parsePosition(binlogPos);
        return start != null && checkpoint.compareTo(new BinlogPosition(start.file(), start.offset(), "")) > 0;
    }

    private void pollMaster(JdbcConnector source, UnitContext ctx) {
        try (Connection c = source.open()) {
            progress.read(new PositionReader(DbFlavor.detect(c)).current(c));
        } catch (SQLException e) {
            log.debug("sync {}/{}: reading the upstream's position failed: {}", ctx.taskName(), ctx.sourceName(),
                    SqlErrors.describe(e));
        }
    }

    private static Connection open(JdbcConnector source, UnitContext ctx) {
        try {
            return source.open();
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, e, ctx.sourceName(), SqlErrors.describe(e));
        }
    }

    private static void sleepUnlessStopped(UnitContext ctx, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && !ctx.stopRequested().getAsBoolean()) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }
}
