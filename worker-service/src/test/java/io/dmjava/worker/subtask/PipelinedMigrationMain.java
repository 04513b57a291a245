package io.dmjava.worker.subtask;

import io.dmjava.model.cluster.Stage;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.function.Function;

/**
 * A separate JVM running a full chain through the subtask runner, the load following the dump as in a
 * worker, for tests that SIGKILL it. Arguments: upstream port, downstream port, data dir, task name, rows
 * per chunk, import threads, schema. Prints {@code PHASE ...} lines; exits 0 when the subtask finished.
 */
public final class PipelinedMigrationMain {
    private PipelinedMigrationMain() {
    }

    public static void main(String[] args) throws Exception {
        long chunkRows = Long.parseLong(args[4]);
        UnitContext ctx = Fixtures.childContext(args);
        DumpFeed feed = new DumpFeed();
        List<Function<UnitContext, Unit>> chain = List.of(
                c -> new DumpUnit(o -> o.withChunkRows(chunkRows), SqlRetry.DEFAULT, feed),
                c -> new LoadUnit(o -> o, SqlRetry.DEFAULT, feed));
        SubTaskRunner runner = new SubTaskRunner("test-worker", ctx, chain);
        System.out.println("PHASE start");
        runner.start();
        String unit = "";
        while (runner.isActive()) {
            String now = runner.status().unit();
            if (!now.equals(unit)) {
                unit = now;
                System.out.println("PHASE unit " + unit);
            }
            Thread.sleep(5);
        }
        System.out.println("PHASE end " + runner.stage() + " " + runner.status().errorMsg());
        System.out.flush();
        System.exit(runner.stage() == Stage.Finished ? 0 : 1);
    }
}
