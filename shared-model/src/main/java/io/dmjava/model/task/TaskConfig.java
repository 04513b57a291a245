package io.dmjava.model.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One migration job, many sources into one downstream, with DM's OpenAPI field names
 * ({@code POST /api/v1/tasks}). Stored in etcd under {@code /dm/task/config/{name}} with the target
 * password encrypted.
 *
 * @param taskMode   {@code full} (dump + load), {@code incremental} (sync), {@code all} (dump + load + sync),
 *                   {@code dump}, {@code load}
 * @param metaSchema downstream schema for checkpoints (default {@code dm_meta})
 * @param onDuplicate {@code replace} | {@code error} | {@code ignore}: what load does with a row whose key exists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskConfig(
        String name,
        @JsonProperty("task_mode") String taskMode,
        @JsonProperty("shard_mode") String shardMode,
        @JsonProperty("meta_schema") String metaSchema,
        @JsonProperty("enhance_online_schema_change") Boolean enhanceOnlineSchemaChange,
        @JsonProperty("on_duplicate") String onDuplicate,
        @JsonProperty("target_config") TargetConfig targetConfig,
        @JsonProperty("binlog_filter_rule") Map<String, BinlogFilterRule> binlogFilterRule,
        @JsonProperty("table_migrate_rule") List<TableMigrateRule> tableMigrateRule,
        @JsonProperty("source_config") TaskSourceConfig sourceConfig,
        @JsonProperty("ignore_checking_items") List<String> ignoreCheckingItems) {

    public static final String DEFAULT_META_SCHEMA = "dm_meta";

    public TaskConfig withTarget(TargetConfig t) {
        return new TaskConfig(name, taskMode, shardMode, metaSchema, enhanceOnlineSchemaChange, onDuplicate, t,
                binlogFilterRule, tableMigrateRule, sourceConfig, ignoreCheckingItems);
    }

    /** The same task with the target's secrets masked, for API answers. */
    public TaskConfig masked() {
        return targetConfig == null ? this : withTarget(targetConfig.masked());
    }

    /** The sources this task reads from, in the order given. */
    public List<String> sourceNames() {
        if (sourceConfig == null || sourceConfig.sourceConf() == null) {
            return List.of();
        }
        return sourceConfig.sourceConf().stream().map(SourceConf::sourceName).toList();
    }

    /** The downstream. {@code session}: session variables set on every downstream connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetConfig(String host, Integer port, String user, String password,
                               io.dmjava.model.source.SourceConfig.Security security, Map<String, String> session) {
        public TargetConfig withPassword(String p) {
            return new TargetConfig(host, port, user, p, security, session);
        }

        TargetConfig masked() {
            return withPassword(io.dmjava.model.source.SourceConfig.MASKED_PASSWORD);
        }
    }

    /** Binlog events or statements to skip: {@code ignore_event} ("all dml", "drop table", ...), {@code ignore_sql} regexes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BinlogFilterRule(@JsonProperty("ignore_event") List<String> ignoreEvent,
                                   @JsonProperty("ignore_sql") List<String> ignoreSql) {
    }

    /**
     * Which upstream tables to migrate and where to. {@code source.schema}/{@code source.table} accept
     * wildcards ({@code *}, {@code ?}); an omitted target keeps the upstream name.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TableMigrateRule(RuleSource source, RuleTarget target,
                                   @JsonProperty("binlog_filter_rule") List<String> binlogFilterRule) {
    }

    public record RuleSource(@JsonProperty("source_name") String sourceName, String schema, String table) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleTarget(String schema, String table) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskSourceConfig(@JsonProperty("full_migrate_conf") FullMigrateConf fullMigrateConf,
                                   @JsonProperty("incr_migrate_conf") IncrMigrateConf incrMigrateConf,
                                   @JsonProperty("source_conf") List<SourceConf> sourceConf) {
    }

    /** Dump/load settings: DM defaults are 4 export threads, 16 import threads, data dir {@code ./dumped_data}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FullMigrateConf(@JsonProperty("export_threads") Integer exportThreads,
                                  @JsonProperty("import_threads") Integer importThreads,
                                  @JsonProperty("data_dir") String dataDir,
                                  String consistency) {
    }

    /** Sync settings: DM defaults are 16 replication threads and batches of 100 statements. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IncrMigrateConf(@JsonProperty("repl_threads") Integer replThreads,
                                  @JsonProperty("repl_batch") Integer replBatch,
                                  @JsonProperty("safe_mode") Boolean safeMode) {
    }

    /** Per-source start position for incremental tasks. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceConf(@JsonProperty("source_name") String sourceName,
                             @JsonProperty("binlog_name") String binlogName,
                             @JsonProperty("binlog_pos") Long binlogPos,
                             @JsonProperty("binlog_gtid") String binlogGtid) {
    }
}
