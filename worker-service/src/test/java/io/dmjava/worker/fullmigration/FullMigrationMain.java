package io.dmjava.worker.fullmigration;

import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.UnitContext;

/**
 * A separate JVM running dump then load, for tests that SIGKILL it. Arguments: upstream port, downstream
 * port, data dir, task name, rows per chunk, import threads, schema. Prints {@code PHASE ...} lines.
 */
public final class FullMigrationMain {
    private FullMigrationMain() {
    }

    public static void main(String[] args) throws Exception {
        long chunkRows = Long.parseLong(args[4]);
        int importThreads = Integer.parseInt(args[5]);
        UnitContext ctx = Fixtures.childContext(args);
        System.out.println("PHASE dump-start");
        new DumpUnit(o -> o.withChunkRows(chunkRows), SqlRetry.DEFAULT).run(ctx);
        System.out.println("PHASE load-start");
        new LoadUnit(o -> o.withImportThreads(importThreads), SqlRetry.DEFAULT).run(ctx);
        System.out.println("PHASE load-done");
        System.out.flush();
        System.exit(0);
    }
}
