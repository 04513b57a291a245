package io.dmjava.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The part of a task that one source contributes, stored under {@code /dm/subtask/config/{source}/{task}}
 * and run by the worker bound to that source. It carries the whole task (rules are filtered by source
 * when it runs) so a worker needs nothing else but the source's own config.
 */
public record SubTaskConfig(TaskConfig task, @JsonProperty("source_name") String sourceName) {
    public SubTaskConfig {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(sourceName, "sourceName");
    }

    public String taskName() {
        return task.name();
    }
}
