package io.dmjava.worker.sync;

import io.dmjava.model.task.TaskConfig;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.relay.RelayLog;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM running an incremental sync unit, for tests that SIGKILL it. Arguments: upstream port,
 * downstream port, data dir, task name, schema, start binlog file, start position, repl threads, repl batch,
 * flush interval ms, and optionally a relay directory written by another process (read instead of the upstream
 * while it holds the position). It stops gracefully when the file {@code <data dir>/stop} appears.
 */
public final class SyncMain {
    private SyncMain() {
    }

    public static void main(String[] args) throws Exception {
        int upPort = Integer.parseInt(args[0]);
        int downPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        String taskName = args[3];
        String schema = args[4];
        TaskConfig base = SyncFixtures.task(taskName, "incremental", Integer.parseInt(args[7]), Integer.parseInt(args[8]),
                false, null, null);
        TaskConfig task = new TaskConfig(base.name(), base.taskMode(), null, base.metaSchema(), null, base.onDuplicate(), null,
                null, null, new TaskConfig.TaskSourceConfig(base.sourceConfig().fullMigrateConf(),
                base.sourceConfig().incrMigrateConf(), List.of(new TaskConfig.SourceConf("source-1", args[5],
                Long.parseLong(args[6]), null))), null);
        Path stop = dataDir.resolve("stop");
        UnitContext ctx = Fixtures.ctx(task, Fixtures.db("127.0.0.1", upPort), Fixtures.db("127.0.0.1", downPort),
                Fixtures.schemas(schema), dataDir, () -> Files.exists(stop));
        HeapWatch heap = HeapWatch.start();
        System.out.println("PHASE sync-start");
        RelayLogs relays = new RelayLogs();
        if (args.length > 10) {
            relays.publish(RelayLog.ofDirectory("source-1", Path.of(args[10]), () -> true));
        }
        new SyncUnit(false, Duration.ofMillis(Long.parseLong(args[9])), Duration.ofMillis(500),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), (t, s) -> BinlogOperatorSource.none(), relays).run(ctx);
        heap.print();
        System.out.println("PHASE sync-stopped");
        System.out.flush();
        System.exit(0);
    }
}
