package io.dmjava.worker.subtask;

import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.function.Function;

/** The unit chains available now: full = dump, load; dump; load. (all/incremental need the sync unit.) */
public final class FullMigrationChain implements UnitChainFactory {
    @Override
    public List<Function<UnitContext, Unit>> chain(String taskMode) {
        Function<UnitContext, Unit> dump = ctx -> new DumpUnit();
        Function<UnitContext, Unit> load = ctx -> new LoadUnit();
        return switch (taskMode) {
            case "full" -> List.of(dump, load);
            case "dump" -> List.of(dump);
            case "load" -> List.of(load);
            default -> throw new IllegalArgumentException("task_mode " + taskMode + " needs the sync unit, not available yet");
        };
    }
}
