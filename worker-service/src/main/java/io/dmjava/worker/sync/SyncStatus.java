package io.dmjava.worker.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The sync unit's part of a subtask's status, with DM's field names.
 *
 * @param totalEvents        row changes and DDL handled since the unit started
 * @param totalTps           downstream transactions per second since the start
 * @param recentTps          downstream transactions per second over the last few seconds
 * @param masterBinlog       the upstream's current binlog end, as DM shows it: {@code (file, pos)}
 * @param syncerBinlog       the position everything before which is applied downstream
 * @param secondsBehindMaster how far the applied changes lag behind the upstream's clock; 0 when caught up
 * @param synced             nothing left to apply: the syncer has reached the master's position
 * @param safeMode           whether changes are currently written idempotently
 * @param blockingDdls       the statements this source waits at in pessimistic shard mode (DM's blockingDDLs); absent
 *                           when it waits for none
 * @param unresolvedDdlLockId the shard DDL lock it waits for (shown as the subtask's {@code unresolved_ddl_lock_id})
 */
public record SyncStatus(@JsonProperty("total_events") long totalEvents,
                         @JsonProperty("total_tps") long totalTps,
                         @JsonProperty("recent_tps") long recentTps,
                         @JsonProperty("master_binlog") String masterBinlog,
                         @JsonProperty("master_binlog_gtid") String masterBinlogGtid,
                         @JsonProperty("syncer_binlog") String syncerBinlog,
                         @JsonProperty("syncer_binlog_gtid") String syncerBinlogGtid,
                         @JsonProperty("binlog_type") String binlogType,
                         @JsonProperty("seconds_behind_master") long secondsBehindMaster,
                         @JsonProperty("synced") boolean synced,
                         @JsonProperty("safe_mode") boolean safeMode,
                         @JsonProperty("blocking_ddls") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> blockingDdls,
                         @JsonIgnore String unresolvedDdlLockId) {
}
