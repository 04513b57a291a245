package io.dmjava.model.task;

import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TaskSourceConfig;
import java.util.List;

/** DM's defaults for the optional fields of a task (applied by {@link TaskValidator#applyDefaults}). */
public final class TaskDefaults {
    public static final String ON_DUPLICATE = "replace";
    public static final int EXPORT_THREADS = 4;
    public static final int IMPORT_THREADS = 16;
    public static final String DATA_DIR = "./dumped_data";
    public static final String CONSISTENCY = "auto";
    public static final int REPL_THREADS = 16;
    public static final int REPL_BATCH = 100;
    /** Every table of the matching schemas: what an absent {@code source.table} means. */
    public static final String ALL_TABLES = "*";

    private TaskDefaults() {
    }

    static TaskConfig apply(TaskConfig t) {
        return new TaskConfig(t.name(), t.taskMode(),
                t.shardMode() == null || t.shardMode().isEmpty() ? null : t.shardMode(),
                or(t.metaSchema(), TaskConfig.DEFAULT_META_SCHEMA),
                t.enhanceOnlineSchemaChange() == null ? Boolean.TRUE : t.enhanceOnlineSchemaChange(),
                or(t.onDuplicate(), ON_DUPLICATE),
                t.targetConfig(), t.binlogFilterRule(), rules(t.tableMigrateRule()), sources(t.sourceConfig()),
                t.ignoreCheckingItems());
    }

    private static List<TableMigrateRule> rules(List<TableMigrateRule> rules) {
        if (rules == null) {
            return null;
        }
        return rules.stream().map(r -> {
            RuleSource s = r == null ? null : r.source();
            if (s == null || (s.table() != null && !s.table().isEmpty())) {
                return r;
            }
            return new TableMigrateRule(new RuleSource(s.sourceName(), s.schema(), ALL_TABLES), r.target(),
                    r.binlogFilterRule());
        }).toList();
    }

    private static TaskSourceConfig sources(TaskSourceConfig s) {
        FullMigrateConf f = s == null || s.fullMigrateConf() == null
                ? new FullMigrateConf(null, null, null, null) : s.fullMigrateConf();
        IncrMigrateConf i = s == null || s.incrMigrateConf() == null
                ? new IncrMigrateConf(null, null, null) : s.incrMigrateConf();
        return new TaskSourceConfig(
                new FullMigrateConf(or(f.exportThreads(), EXPORT_THREADS), or(f.importThreads(), IMPORT_THREADS),
                        or(f.dataDir(), DATA_DIR), or(f.consistency(), CONSISTENCY)),
                new IncrMigrateConf(or(i.replThreads(), REPL_THREADS), or(i.replBatch(), REPL_BATCH),
                        i.safeMode() == null ? Boolean.FALSE : i.safeMode()),
                s == null ? null : s.sourceConf());
    }

    private static <T> T or(T value, T fallback) {
        return value == null || (value instanceof String str && str.isEmpty()) ? fallback : value;
    }
}
