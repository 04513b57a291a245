package io.dmjava.api.model;

import java.util.List;

/** {@code POST /api/v1/tasks/{task-name}/start}: what the precheck warned about (the task starts anyway). */
public record StartTaskResponse(List<String> warnings) {
    public StartTaskResponse {
        warnings = List.copyOf(warnings);
    }
}
