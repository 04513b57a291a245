package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One subtask's state (DM's {@code SubTaskStatus}): the stage, the unit running, its progress, and the
 * error that paused it. {@code dump_status}/{@code load_status}/{@code sync_status} are the unit's own
 * status objects, present while or after that unit runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubTaskStatus(String name,
                            @JsonProperty("source_name") String sourceName,
                            @JsonProperty("worker_name") String workerName,
                            String stage,
                            String unit,
                            @JsonProperty("unresolved_ddl_lock_id") String unresolvedDdlLockId,
                            @JsonProperty("dump_status") Object dumpStatus,
                            @JsonProperty("load_status") Object loadStatus,
                            @JsonProperty("sync_status") Object syncStatus,
                            @JsonProperty("error_msg") String errorMsg) {
}
