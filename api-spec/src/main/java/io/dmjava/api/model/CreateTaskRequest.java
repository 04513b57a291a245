package io.dmjava.api.model;

import io.dmjava.model.task.TaskConfig;

/** {@code POST /api/v1/tasks} and {@code PUT /api/v1/tasks/{task-name}}: the task. */
public record CreateTaskRequest(TaskConfig task) {
}
