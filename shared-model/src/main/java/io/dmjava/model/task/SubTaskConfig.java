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
 */
public record SubTaskConfig(TaskConfig task, @JsonProperty("source_name") String sourceName, long generation) {
    public SubTaskConfig {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(sourceName, "sourceName");
    }

    public SubTaskConfig withGeneration(long g) {
        return new SubTaskConfig(task, sourceName, g);
    }

    public String taskName() {
        return task.name();
    }
}
