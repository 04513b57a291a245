package io.dmjava.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The part of a task that one source contributes, stored under {@code /dm/subtask/config/{source}/{task}}
 * and run by the worker bound to that source. It carries the whole task (rules are filtered by source
 * when it runs) so a worker needs nothing else but the source's own config.
 *
 * @param generation changes whenever the subtask must start over (task created again, updated, or
 *                   started with {@code remove_meta}); the worker keeps each generation's dump apart, so
 *                   it never resumes from files of an earlier run
 * @param startArgs  what the last start request asked beyond the checkpoint ({@code start_time},
 *                   {@code safe_mode_time_duration}); null when it asked nothing
 */
public record SubTaskConfig(TaskConfig task, @JsonProperty("source_name") String sourceName, long generation,
                            @JsonProperty("start_args") TaskStartArgs startArgs) {
    public SubTaskConfig {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(sourceName, "sourceName");
    }

    public SubTaskConfig(TaskConfig task, String sourceName, long generation) {
        this(task, sourceName, generation, null);
    }

    public SubTaskConfig withGeneration(long g) {
        return new SubTaskConfig(task, sourceName, g, startArgs);
    }

    public SubTaskConfig withStartArgs(TaskStartArgs args) {
        return new SubTaskConfig(task, sourceName, generation, args);
    }

    public String taskName() {
        return task.name();
    }
}
