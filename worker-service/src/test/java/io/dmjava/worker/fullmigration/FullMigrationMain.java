package io.dmjava.worker.fullmigration;

import io.dmjava.model.task.TaskConfig;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;

/**
 * A separate JVM running dump then load, for tests that SIGKILL it. Arguments: upstream port, downstream
 * port, data dir, task name, rows per chunk, import threads, schema. Prints {@code PHASE ...} lines.
 */
public final class FullMigrationMain {
    private FullMigrationMain() {
    }

    public static void main(String[] args) throws Exception {
        int upPort = Integer.parseInt(args[0]);
        int downPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        String taskName = args[3];
        long chunkRows = Long.parseLong(args[4]);
        int importThreads = Integer.parseInt(args[5]);
        String schema = args[6];
        TaskConfig task = Fixtures.task(taskName, "error", 2, importThreads, "auto");
        UnitContext ctx = Fixtures.ctx(task, Fixtures.db("127.0.0.1", upPort), Fixtures.db("127.0.0.1", downPort),
                Fixtures.schemas(schema), dataDir, () -> false);
        System.out.println("PHASE dump-start");
        new DumpUnit(o -> o.withChunkRows(chunkRows), SqlRetry.DEFAULT).run(ctx);
        System.out.println("PHASE load-start");
        new LoadUnit(o -> o.withImportThreads(importThreads), SqlRetry.DEFAULT).run(ctx);
        System.out.println("PHASE load-done");
        System.out.flush();
        System.exit(0);
    }
}
