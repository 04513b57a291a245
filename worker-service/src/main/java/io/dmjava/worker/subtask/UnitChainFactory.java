package io.dmjava.worker.subtask;

import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.function.Function;

/** The units a subtask runs, in order, for its task mode (DM: full = dump, load; all = dump, load, sync). */
public interface UnitChainFactory {
    List<Function<UnitContext, Unit>> chain(String taskMode);
}
