package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/tasks/{task-name}/start}. {@code remove_meta} drops the task's checkpoints
 * downstream first (start over); {@code source_name_list} limits the start to some sources (default all).
 * {@code start_time} and {@code safe_mode_time_duration} apply to incremental replication.
 */
public record StartTaskRequest(@JsonProperty("remove_meta") Boolean removeMeta,
                               @JsonProperty("start_time") String startTime,
                               @JsonProperty("safe_mode_time_duration") String safeModeTimeDuration,
                               @JsonProperty("source_name_list") List<String> sourceNameList) {
}
