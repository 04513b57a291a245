package io.dmjava.worker.unit;

import io.dmjava.model.task.TableRouter;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskStartArgs;
import io.dmjava.worker.fence.Fence;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Everything a unit needs to run one subtask.
 *
 * @param task          the whole task config (target password already decrypted into {@code target})
 * @param sourceName    the source this subtask reads
 * @param source        how to reach the upstream
 * @param target        how to reach the downstream
 * @param router        which upstream tables go where, for this source
 * @param dataDir       this subtask's own directory for dump files and local state
 * @param stopRequested turns true when the subtask is paused or stopped; units poll it and return early
 * @param fence         what each downstream data transaction enters first (see docs/ha.md)
 * @param startArgs     what the start request asked of the sync unit ({@code start_time},
 *                      {@code safe_mode_time_duration}); null when nothing
 */
public record UnitContext(TaskConfig task, String sourceName, DbConfig source, DbConfig target, TableRouter router,
                          Path dataDir, BooleanSupplier stopRequested, Fence fence, TaskStartArgs startArgs) {

    public UnitContext(TaskConfig task, String sourceName, DbConfig source, DbConfig target, TableRouter router,
                       Path dataDir, BooleanSupplier stopRequested, Fence fence) {
        this(task, sourceName, source, target, router, dataDir, stopRequested, fence, null);
    }

    /** A context without fencing (tools and tests running a unit outside a worker). */
    public UnitContext(TaskConfig task, String sourceName, DbConfig source, DbConfig target, TableRouter router,
                       Path dataDir, BooleanSupplier stopRequested) {
        this(task, sourceName, source, target, router, dataDir, stopRequested, Fence.NONE);
    }

    /** The same context with another stop signal. */
    public UnitContext withStopRequested(BooleanSupplier stop) {
        return new UnitContext(task, sourceName, source, target, router, dataDir, stop, fence, startArgs);
    }

    /** The same context with the given start request arguments. */
    public UnitContext withStartArgs(TaskStartArgs args) {
        return new UnitContext(task, sourceName, source, target, router, dataDir, stopRequested, fence, args);
    }

    public String taskName() {
        return task.name();
    }

    /** The downstream schema holding checkpoints ({@code meta_schema}, default {@code dm_meta}). */
    public String metaSchema() {
        return task.metaSchema() == null || task.metaSchema().isBlank() ? TaskConfig.DEFAULT_META_SCHEMA : task.metaSchema();
    }
}
