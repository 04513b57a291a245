package io.dmjava.worker.subtask;

import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.DumpPlanStore;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The unit chains available now: full = dump, load; dump; load. (all/incremental need the sync unit.) In a
 * full chain the load follows the dump through a {@link DumpFeed}, so the runner runs them together: chunks
 * are imported while the dump still writes more. Each call makes a new feed, for one run of the chain. The
 * full chain's dump saves its chunk plan downstream ({@link DumpPlanStore}): a worker taking the subtask over
 * continues it instead of starting again (task mode {@code all}; see {@code PlanResume}).
 */
public final class FullMigrationChain implements UnitChainFactory {
    @Override
    public List<Function<UnitContext, Unit>> chain(String taskMode) {
        DumpFeed feed = new DumpFeed();
        Function<UnitContext, Unit> dump = ctx -> new DumpUnit(UnaryOperator.identity(), SqlRetry.DEFAULT, feed);
        // A full migration's plan lives downstream too, so another worker can finish it ("all" chains include it).
        Function<UnitContext, Unit> journaledDump = ctx -> new DumpUnit(UnaryOperator.identity(), SqlRetry.DEFAULT, feed,
                new DumpPlanStore(SqlRetry.DEFAULT));
        Function<UnitContext, Unit> followingLoad = ctx -> new LoadUnit(UnaryOperator.identity(), SqlRetry.DEFAULT, feed);
        Function<UnitContext, Unit> load = ctx -> new LoadUnit();
        return switch (taskMode) {
            case "full" -> List.of(journaledDump, followingLoad);
            case "dump" -> List.of(dump);
            case "load" -> List.of(load);
            default -> throw new IllegalArgumentException("task_mode " + taskMode + " needs the sync unit, not available yet");
        };
    }
}
