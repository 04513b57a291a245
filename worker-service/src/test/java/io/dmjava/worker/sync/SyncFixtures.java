package io.dmjava.worker.sync;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TableRouter;
import io.dmjava.worker.fence.Fence;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.unit.DbConfig;
import io.dmjava.worker.fullmigration.TableComparator;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Task configs for the sync tests, and a sync unit running in this JVM on its own thread. */
public final class SyncFixtures {
    private SyncFixtures() {
    }

    public static TaskConfig task(String name, String mode, int threads, int batch, boolean safeMode,
                                  Map<String, TaskConfig.BinlogFilterRule> filters, List<TaskConfig.TableMigrateRule> rules) {
        return new TaskConfig(name, mode, null, "dm_meta", null, "replace", null, filters, rules,
                new TaskConfig.TaskSourceConfig(new TaskConfig.FullMigrateConf(2, 2, null, "auto"),
                        new TaskConfig.IncrMigrateConf(threads, batch, safeMode), null), null);
    }

    /** The same task starting replication of "source-1" at the upstream's current binlog end. */
    public static TaskConfig startingNow(TaskConfig t, Connection upstream) throws SQLException {
        try (var st = upstream.createStatement(); var rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            TaskConfig.SourceConf conf = new TaskConfig.SourceConf("source-1", rs.getString(1), rs.getLong(2), null);
            TaskConfig.TaskSourceConfig sc = t.sourceConfig();
            return new TaskConfig(t.name(), t.taskMode(), t.shardMode(), t.metaSchema(), t.enhanceOnlineSchemaChange(),
                    t.onDuplicate(), t.targetConfig(), t.binlogFilterRule(), t.tableMigrateRule(),
                    new TaskConfig.TaskSourceConfig(sc.fullMigrateConf(), sc.incrMigrateConf(), List.of(conf)),
                    t.ignoreCheckingItems());
        }
    }

    /** A sync unit running on a background thread until {@link #stop}. */
    public static final class Running implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final SyncUnit unit;
        private final Thread thread;

        public Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                       Duration flushInterval) {
            this(task, source, target, router, dataDir, afterDump, flushInterval, BinlogOperatorSource.none());
        }

        public Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                       Duration flushInterval, BinlogOperatorSource operators) {
            this(task, source, target, router, dataDir, afterDump, flushInterval, operators, Fence.NONE, new RelayLogs(), null);
        }

        /** @param fence what the unit's downstream writes go through, as in a worker (see docs/ha.md) */
        public Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                       Duration flushInterval, BinlogOperatorSource operators, Fence fence) {
            this(task, source, target, router, dataDir, afterDump, flushInterval, operators, fence, new RelayLogs(), null);
        }

        /** A unit that reads the relays published in {@code relays} when they hold its position. */
        public Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                       Duration flushInterval, BinlogOperatorSource operators, RelayLogs relays) {
            this(task, source, target, router, dataDir, afterDump, flushInterval, operators, Fence.NONE, relays, null);
        }

        /** @param startArgs what a start request asked (start_time, safe_mode_time_duration), or null */
        public Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                       Duration flushInterval, BinlogOperatorSource operators, io.dmjava.model.task.TaskStartArgs startArgs) {
            this(task, source, target, router, dataDir, afterDump, flushInterval, operators, Fence.NONE, new RelayLogs(), startArgs);
        }

        private Running(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir, boolean afterDump,
                        Duration flushInterval, BinlogOperatorSource operators, Fence fence, RelayLogs relays,
                        io.dmjava.model.task.TaskStartArgs startArgs) {
            this.unit = new SyncUnit(afterDump, flushInterval, Duration.ofMillis(500),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), (t, s) -> operators, relays);
            UnitContext ctx = new UnitContext(task, "source-1", source, target, router, dataDir, stop::get, fence)
                    .withStartArgs(startArgs);
            this.thread = new Thread(() -> {
                try {
                    unit.run(ctx);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "test-sync");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Waits until the unit has saved its first checkpoint: it has then read the table structures it starts
         * with, so DDL issued from now on is replicated, not already part of them.
         */
        public Running awaitStarted(Connection down, String task) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                if (failure.get() != null) {
                    throw new AssertionError("sync unit failed", failure.get());
                }
                try (var st = down.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM dm_meta."
                        + task + "_syncer_checkpoint WHERE is_global")) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        return this;
                    }
                } catch (SQLException e) {
                    // not created yet
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("sync unit saved no checkpoint within 60 s");
                }
                Thread.sleep(50);
            }
        }

        public SyncStatus status() {
            return (SyncStatus) unit.status();
        }

        public Throwable failure() {
            return failure.get();
        }

        public boolean isAlive() {
            return thread.isAlive();
        }

        /** Asks the unit to stop and waits for it; rethrows what it failed with. */
        public void stop() throws Exception {
            stop.set(true);
            thread.join(60_000);
            if (thread.isAlive()) {
                throw new AssertionError("sync unit did not stop within 60 s");
            }
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            } else if (t != null) {
                throw new AssertionError(t);
            }
        }

        @Override
        public void close() throws Exception {
            if (thread.isAlive()) {
                stop();
            }
        }
    }

    /** Waits until every table has the same checksum up- and downstream, or fails with the first difference. */
    public static void awaitSame(Connection up, Connection down, List<TableName> tables, Duration timeout,
                                 java.util.function.Supplier<Throwable> failure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable f = failure.get();
            if (f != null) {
                throw new AssertionError("sync unit failed", f);
            }
            String diff = firstDifference(up, down, tables);
            if (diff.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in sync after " + timeout + ": " + diff);
            }
            Thread.sleep(200);
        }
    }

    static String firstDifference(Connection up, Connection down, List<TableName> tables) throws SQLException {
        for (TableName t : tables) {
            long u = TableComparator.checksum(up, t);
            long d;
            try {
                d = TableComparator.checksum(down, t);
            } catch (SQLException e) {
                return t + ": " + e.getMessage();
            }
            if (u != d) {
                String diff;
                try {
                    diff = TableComparator.diff(TableComparator.rows(up, t), TableComparator.rows(down, t));
                } catch (SQLException e) {
                    diff = e.getMessage();
                }
                return t + ": checksum " + u + " upstream, " + d + " downstream; " + (diff.isEmpty() ? "rows equal" : diff);
            }
        }
        return "";
    }
}
