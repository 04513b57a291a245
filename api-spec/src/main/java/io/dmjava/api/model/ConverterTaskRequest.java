package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.model.task.TaskConfig;

/**
 * {@code POST /api/v1/tasks/converters}: give {@code task} to get the DM task YAML, or
 * {@code task_config_file} (a DM task.yaml) to get the task JSON. The answer carries both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConverterTaskRequest(TaskConfig task, @JsonProperty("task_config_file") String taskConfigFile) {
}
