package io.dmjava.worker.fullmigration;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.unit.DbConfig;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/** Task configs, routers and unit contexts for the dump/load tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static TaskConfig task(String name, String onDuplicate, int exportThreads, int importThreads, String consistency) {
        return new TaskConfig(name, "full", "pessimistic", "dm_meta", null, onDuplicate, null, null, null,
                new TaskConfig.TaskSourceConfig(new TaskConfig.FullMigrateConf(exportThreads, importThreads, null,
                        consistency), null, null), null);
    }

    public static DbConfig db(MariaDbInstance instance) {
        return new DbConfig(instance.host(), instance.port(), instance.user(), instance.password(), Map.of());
    }

    public static DbConfig db(String host, int port) {
        return new DbConfig(host, port, "root", "", Map.of());
    }

    /** Every table of the given schemas, under the same name. */
    public static TableRouter schemas(String... schemas) {
        Set<String> set = Set.of(schemas);
        return router((s, t) -> set.contains(s) ? Optional.of(new TableName(s, t)) : Optional.empty(), set::contains);
    }

    public static TableRouter router(BiFunction<String, String, Optional<TableName>> route,
                                     java.util.function.Predicate<String> schemaMayMatch) {
        return new TableRouter() {
            @Override
            public Optional<TableName> route(String schema, String table) {
                return route.apply(schema, table);
            }

            @Override
            public boolean schemaMayMatch(String schema) {
                return schemaMayMatch.test(schema);
            }
        };
    }

    public static UnitContext ctx(TaskConfig task, DbConfig source, DbConfig target, TableRouter router, Path dataDir,
                                  BooleanSupplier stop) {
        return new UnitContext(task, "source-1", source, target, router, dataDir, stop);
    }

    /**
     * The context of a child JVM of the crash tests, from its arguments: upstream port, downstream port, data
     * dir, task name, rows per chunk, import threads, schema.
     */
    public static UnitContext childContext(String[] args) {
        TaskConfig task = task(args[3], "error", 2, Integer.parseInt(args[5]), "auto");
        return ctx(task, db("127.0.0.1", Integer.parseInt(args[0])), db("127.0.0.1", Integer.parseInt(args[1])),
                schemas(args[6]), Path.of(args[2]), () -> false);
    }

    /** Polls {@code condition} until it holds; fails when the child exits first or after two minutes. */
    public static void awaitOrFail(ManagedProcess child, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (!child.isAlive()) {
                throw new AssertionError("child exited before " + what + ":\n" + child.tailLog(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 120 s:\n" + child.tailLog(40));
            }
            Thread.sleep(2);
        }
    }
}
