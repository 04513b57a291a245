package io.dmjava.worker.subtask;

import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.load.TargetSession;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.sync.BinlogOperatorSource;
import io.dmjava.worker.sync.ShardDdlCoordinator;
import io.dmjava.worker.sync.SyncUnit;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every task mode's unit chain (DM's): full = dump, load; all = dump, load, sync; incremental = sync; plus
 * dump and load alone. In mode {@code all}, once the sync unit has saved a checkpoint the dump and load are
 * behind it for good: a restarted subtask goes straight to sync (even if the dump files are gone).
 */
public final class UnitChains implements UnitChainFactory {
    private static final Logger log = LoggerFactory.getLogger(UnitChains.class);

    private final UnitChainFactory fullMigration;
    private final Duration flushInterval;
    private final Duration heartbeat;
    private final MeterRegistry registry;
    private final BinlogOperatorSource.Factory operators;
    private final RelayLogs relays;
    private final ShardDdlCoordinator.Factory shardDdl;

    /**
     * @param relays the worker's relays: the sync units read them when they hold their position
     * @param shardDdl where sync units coordinate DDL of merged tables (pessimistic shard mode)
     */
    public UnitChains(UnitChainFactory fullMigration, Duration flushInterval, Duration heartbeat, MeterRegistry registry,
                      BinlogOperatorSource.Factory operators, RelayLogs relays, ShardDdlCoordinator.Factory shardDdl) {
        this.shardDdl = shardDdl;
        this.relays = relays;
        this.registry = registry;
        this.operators = operators;
        this.fullMigration = fullMigration;
        this.flushInterval = flushInterval;
        this.heartbeat = heartbeat;
    }

    @Override
    public List<Function<UnitContext, Unit>> chain(String taskMode) {
        return switch (taskMode) {
            case "incremental" -> List.of(ctx -> new SyncUnit(false, flushInterval, heartbeat, registry, operators, relays, shardDdl));
            case "all" -> {
                List<Function<UnitContext, Unit>> units = new ArrayList<>();
                for (Function<UnitContext, Unit> f : fullMigration.chain("full")) {
                    units.add(ctx -> syncStarted(ctx) ? new DoneUnit(f.apply(ctx).type()) : f.apply(ctx));
                }
                units.add(ctx -> new SyncUnit(true, flushInterval, heartbeat, registry, operators, relays, shardDdl));
                yield List.copyOf(units);
            }
            default -> fullMigration.chain(taskMode);
        };
    }

    private static boolean syncStarted(UnitContext ctx) {
        try (Connection c = new JdbcConnector(ctx.target(), TargetSession.statements()).open()) {
            return new SyncCheckpointStore(ctx.metaSchema(), ctx.taskName(), ctx.sourceName()).exists(c);
        } catch (SQLException e) {
            // The units themselves resume from their own checkpoints; asking again costs only time.
            log.warn("subtask {}/{}: cannot tell whether sync has started ({}); running the full migration's units",
                    ctx.taskName(), ctx.sourceName(), e.getMessage());
            return false;
        }
    }

    /** A unit whose work an earlier run finished. */
    private record DoneUnit(String type) implements Unit {
        @Override
        public void run(UnitContext ctx) {
            // nothing left to do
        }

        @Override
        public Object status() {
            return null;
        }
    }
}
