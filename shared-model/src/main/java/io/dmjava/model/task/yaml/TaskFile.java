package io.dmjava.model.task.yaml;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * DM's task configuration file ({@code task.yaml}), as far as we read and write it. Keys DM has
 * deprecated or that only tune DM internals are listed in {@code @JsonIgnoreProperties} and accepted
 * without effect; any other unknown key is an error, as in DM (which unmarshals strictly). Keys we
 * understand but cannot honour are declared here and rejected by {@link TaskFileReader}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties({"clean-dump-file", "remove-meta", "enable-heartbeat", "heartbeat-update-interval",
        "heartbeat-report-interval", "strict-optimistic-shard-mode", "experimental"})
public record TaskFile(
        String name,
        @JsonProperty("task-mode") String taskMode,
        @JsonProperty("shard-mode") String shardMode,
        @JsonProperty("is-sharding") Boolean isSharding,
        @JsonProperty("meta-schema") String metaSchema,
        @JsonProperty("online-ddl") Boolean onlineDdl,
        @JsonProperty("online-ddl-scheme") String onlineDdlScheme,
        @JsonProperty("case-sensitive") Boolean caseSensitive,
        String timezone,
        @JsonProperty("collation_compatible") String collationCompatible,
        @JsonProperty("on-duplicate") String onDuplicate,
        @JsonProperty("ignore-checking-items") List<String> ignoreCheckingItems,
        @JsonProperty("target-database") Target targetDatabase,
        Map<String, Route> routes,
        Map<String, Filter> filters,
        @JsonProperty("block-allow-list") Map<String, BlockAllowList> blockAllowList,
        @JsonProperty("black-white-list") Map<String, BlockAllowList> blackWhiteList,
        @JsonProperty("expression-filter") Map<String, Object> expressionFilter,
        @JsonProperty("column-mappings") Map<String, Object> columnMappings,
        Map<String, Validator> validators,
        Map<String, Mydumper> mydumpers,
        Map<String, Loader> loaders,
        Map<String, Syncer> syncers,
        @JsonProperty("mysql-instances") List<Instance> mysqlInstances) {

    /** {@code target-database}. TLS material is accepted inline (base64) only: a file path names a file we do not have. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties({"max-allowed-packet"})
    public record Target(String host, Integer port, String user, String password, Map<String, Object> session,
                         Security security) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Security(@JsonProperty("ssl-ca") String sslCa, @JsonProperty("ssl-cert") String sslCert,
                           @JsonProperty("ssl-key") String sslKey,
                           @JsonProperty("cert-allowed-cn") List<String> certAllowedCn,
                           @JsonProperty("ssl-ca-base64") String sslCaBase64,
                           @JsonProperty("ssl-cert-base64") String sslCertBase64,
                           @JsonProperty("ssl-key-base64") String sslKeyBase64,
                           @JsonProperty("ssl-ca-bytes") Object sslCaBytes,
                           @JsonProperty("ssl-cert-bytes") Object sslCertBytes,
                           @JsonProperty("ssl-key-bytes") Object sslKeyBytes) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Route(@JsonProperty("schema-pattern") String schemaPattern,
                        @JsonProperty("table-pattern") String tablePattern,
                        @JsonProperty("target-schema") String targetSchema,
                        @JsonProperty("target-table") String targetTable,
                        @JsonProperty("extract-table") Object extractTable,
                        @JsonProperty("extract-schema") Object extractSchema,
                        @JsonProperty("extract-source") Object extractSource) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Filter(@JsonProperty("schema-pattern") String schemaPattern,
                         @JsonProperty("table-pattern") String tablePattern,
                         List<String> events,
                         @JsonProperty("sql-pattern") List<String> sqlPattern,
                         String action) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record BlockAllowList(@JsonProperty("do-dbs") List<String> doDbs,
                                 @JsonProperty("do-tables") List<TableRef> doTables,
                                 @JsonProperty("ignore-dbs") List<String> ignoreDbs,
                                 @JsonProperty("ignore-tables") List<TableRef> ignoreTables) {
    }

    public record TableRef(@JsonProperty("db-name") String dbName, @JsonProperty("tbl-name") String tblName) {
    }

    @JsonIgnoreProperties({"worker-count", "row-error-delay", "meta-flush-interval", "batch-query-size",
            "max-pending-row-size", "max-pending-row-count", "start-time"})
    public record Validator(String mode) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties({"chunk-filesize", "statement-size", "rows", "skip-tz-utc", "mydumper-path"})
    public record Mydumper(Integer threads, @JsonProperty("extra-args") String extraArgs, String where) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties({"on-duplicate-physical", "sorting-dir-physical", "disk-quota-physical",
            "checksum-physical", "analyze", "range-concurrency", "compress-kv-pairs", "pd-addr"})
    public record Loader(@JsonProperty("pool-size") Integer poolSize, String dir,
                         @JsonProperty("import-mode") String importMode,
                         @JsonProperty("on-duplicate") String onDuplicate,
                         @JsonProperty("on-duplicate-logical") String onDuplicateLogical) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties({"safe-mode-duration", "enable-ansi-quotes", "compact", "multiple-rows", "max-retry",
            "queue-size", "checkpoint-flush-interval", "enable-gtid", "auto-fix-gtid", "disable-detect"})
    public record Syncer(@JsonProperty("worker-count") Integer workerCount, Integer batch,
                         @JsonProperty("safe-mode") Boolean safeMode) {
    }

    /** One entry of {@code mysql-instances}: a source and the names of the global rules it uses. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Instance(@JsonProperty("source-id") String sourceId,
                           Meta meta,
                           @JsonProperty("route-rules") List<String> routeRules,
                           @JsonProperty("filter-rules") List<String> filterRules,
                           @JsonProperty("block-allow-list") String blockAllowList,
                           @JsonProperty("black-white-list") String blackWhiteList,
                           @JsonProperty("column-mapping-rules") List<String> columnMappingRules,
                           @JsonProperty("expression-filters") List<String> expressionFilters,
                           @JsonProperty("validator-config-name") String validatorConfigName,
                           @JsonProperty("mydumper-config-name") String mydumperConfigName,
                           @JsonProperty("mydumper-thread") Integer mydumperThread,
                           @JsonProperty("loader-config-name") String loaderConfigName,
                           @JsonProperty("loader-thread") Integer loaderThread,
                           @JsonProperty("syncer-config-name") String syncerConfigName,
                           @JsonProperty("syncer-thread") Integer syncerThread) {
    }

    /** Where an incremental task starts reading this source. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Meta(@JsonProperty("binlog-name") String binlogName, @JsonProperty("binlog-pos") Long binlogPos,
                       @JsonProperty("binlog-gtid") String binlogGtid) {
    }
}
