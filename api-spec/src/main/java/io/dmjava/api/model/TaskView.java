package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.model.task.TaskConfig;
import java.util.List;
import java.util.Map;

/** A task as the API answers it (DM's {@code Task}): the config with the target password masked, and status when asked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
        String name,
        @JsonProperty("task_mode") String taskMode,
        @JsonProperty("shard_mode") String shardMode,
        @JsonProperty("meta_schema") String metaSchema,
        @JsonProperty("enhance_online_schema_change") Boolean enhanceOnlineSchemaChange,
        @JsonProperty("on_duplicate") String onDuplicate,
        @JsonProperty("target_config") TaskConfig.TargetConfig targetConfig,
        @JsonProperty("binlog_filter_rule") Map<String, TaskConfig.BinlogFilterRule> binlogFilterRule,
        @JsonProperty("table_migrate_rule") List<TaskConfig.TableMigrateRule> tableMigrateRule,
        @JsonProperty("source_config") TaskConfig.TaskSourceConfig sourceConfig,
        @JsonProperty("ignore_checking_items") List<String> ignoreCheckingItems,
        @JsonProperty("status_list") List<SubTaskStatus> statusList) {

    /** The view of a stored task: always masked. */
    public static TaskView of(TaskConfig stored, List<SubTaskStatus> status) {
        TaskConfig t = stored.masked();
        return new TaskView(t.name(), t.taskMode(), t.shardMode(), t.metaSchema(), t.enhanceOnlineSchemaChange(),
                t.onDuplicate(), t.targetConfig(), t.binlogFilterRule(), t.tableMigrateRule(), t.sourceConfig(),
                t.ignoreCheckingItems(), status);
    }
}
