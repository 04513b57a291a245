package io.dmjava.model.task;

import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.TaskConfig.TaskSourceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tasks for tests. */
final class TaskFixtures {
    private TaskFixtures() {
    }

    /** A valid sharding task; tests change one thing at a time. */
    static TaskConfig valid() {
        Map<String, BinlogFilterRule> filters = new LinkedHashMap<>();
        filters.put("no-drop", new BinlogFilterRule(List.of("drop table", "truncate table"), null));
        filters.put("no-procedures", new BinlogFilterRule(null, List.of("^DROP\\s+PROCEDURE", "^CREATE\\s+PROCEDURE")));
        return new TaskConfig("shard-merge", "all", "pessimistic", "dm_meta", true, "replace",
                new TargetConfig("tidb.example", 4000, "root", "secret", null, Map.of("sql_mode", "ANSI_QUOTES")),
                filters,
                List.of(new TableMigrateRule(new RuleSource("mysql-01", "db_*", "orders_*"), new RuleTarget("db", "orders"),
                                List.of("no-drop")),
                        new TableMigrateRule(new RuleSource("mysql-02", "db_*", "orders_*"), new RuleTarget("db", "orders"),
                                List.of("no-drop", "no-procedures"))),
                new TaskSourceConfig(new FullMigrateConf(4, 16, "./dumped_data", "auto"), new IncrMigrateConf(16, 100, false),
                        List.of(new SourceConf("mysql-01", null, null, null), new SourceConf("mysql-02", null, null, null))),
                List.of("version"));
    }

    /** Changes one part of a task. */
    static final class Builder {
        private String name;
        private String taskMode;
        private String shardMode;
        private String metaSchema;
        private String onDuplicate;
        private TargetConfig target;
        private Map<String, BinlogFilterRule> filters;
        private List<TableMigrateRule> rules;
        private TaskSourceConfig sourceConfig;
        private List<String> ignoreChecking;
        private final TaskConfig base;

        Builder(TaskConfig t) {
            base = t;
            name = t.name();
            taskMode = t.taskMode();
            shardMode = t.shardMode();
            metaSchema = t.metaSchema();
            onDuplicate = t.onDuplicate();
            target = t.targetConfig();
            filters = t.binlogFilterRule();
            rules = t.tableMigrateRule();
            sourceConfig = t.sourceConfig();
            ignoreChecking = t.ignoreCheckingItems();
        }

        Builder name(String v) { name = v; return this; }
        Builder taskMode(String v) { taskMode = v; return this; }
        Builder shardMode(String v) { shardMode = v; return this; }
        Builder metaSchema(String v) { metaSchema = v; return this; }
        Builder onDuplicate(String v) { onDuplicate = v; return this; }
        Builder target(TargetConfig v) { target = v; return this; }
        Builder filters(Map<String, BinlogFilterRule> v) { filters = v; return this; }
        Builder rules(List<TableMigrateRule> v) { rules = v; return this; }
        Builder sourceConfig(TaskSourceConfig v) { sourceConfig = v; return this; }
        Builder ignoreChecking(List<String> v) { ignoreChecking = v; return this; }

        Builder sourceConf(List<SourceConf> v) {
            sourceConfig = new TaskSourceConfig(sourceConfig.fullMigrateConf(), sourceConfig.incrMigrateConf(), v);
            return this;
        }

        Builder full(FullMigrateConf v) {
            sourceConfig = new TaskSourceConfig(v, sourceConfig.incrMigrateConf(), sourceConfig.sourceConf());
            return this;
        }

        Builder incr(IncrMigrateConf v) {
            sourceConfig = new TaskSourceConfig(sourceConfig.fullMigrateConf(), v, sourceConfig.sourceConf());
            return this;
        }

        TaskConfig build() {
            return new TaskConfig(name, taskMode, shardMode, metaSchema, base.enhanceOnlineSchemaChange(), onDuplicate,
                    target, filters, rules == null ? null : new ArrayList<>(rules), sourceConfig, ignoreChecking);
        }
    }
}
