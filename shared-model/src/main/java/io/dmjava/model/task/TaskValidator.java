package io.dmjava.model.task;

import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a task ({@code POST /api/v1/tasks}) for everything a user can get wrong before anything runs,
 * reporting every problem at once with the JSON path of the field, and fills DM's defaults.
 * Stateless; all methods are static.
 */
public final class TaskValidator {
    public static final List<String> TASK_MODES = List.of("full", "incremental", "all", "dump", "load");
    public static final List<String> SHARD_MODES = List.of("pessimistic", "optimistic");
    public static final List<String> ON_DUPLICATE = List.of("replace", "error", "ignore");
    /** Dumpling's {@code --consistency} values. */
    public static final List<String> CONSISTENCY = List.of("auto", "none", "flush", "lock", "snapshot");
    public static final int MAX_THREADS = 256;
    public static final int MAX_REPL_BATCH = 10_000;

    /** A task name is used in etcd keys, URLs, file names and the meta schema's table names. */
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** The meta schema is created downstream; keep to names that need no quoting anywhere. */
    private static final Pattern META_SCHEMA = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private TaskValidator() {
    }

    /**
     * One thing wrong with a task.
     *
     * @param field   JSON path of the offending field, e.g. {@code table_migrate_rule[2].source.schema}
     * @param message what is wrong and what is expected, in the user's terms
     */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /**
     * All problems of a task, in field order; empty when it is valid.
     *
     * @param knownSources the names of the sources that exist in the cluster
     */
    public static List<Problem> validate(TaskConfig task, Set<String> knownSources) {
        Problems p = new Problems();
        if (task == null) {
            p.add("task", "is required");
            return p.toList();
        }
        checkBasics(task, p);
        checkTarget(task.targetConfig(), p);
        SourceConfChecks.check(task, knownSources == null ? Set.of() : knownSources, p);
        TableRuleChecks.check(task, p);
        if (task.sourceConfig() != null) {
            checkFull(task.sourceConfig().fullMigrateConf(), p);
            checkIncr(task.sourceConfig().incrMigrateConf(), p);
        }
        if (task.ignoreCheckingItems() != null) {
            for (int i = 0; i < task.ignoreCheckingItems().size(); i++) {
                if (Problems.isBlank(task.ignoreCheckingItems().get(i))) {
                    p.add("ignore_checking_items[" + i + "]", "must not be empty");
                }
            }
        }
        return p.toList();
    }

    /** Throws when {@link #validate} finds any problem. */
    public static void requireValid(TaskConfig task, Set<String> knownSources) {
        List<Problem> problems = validate(task, knownSources);
        if (!problems.isEmpty()) {
            throw new TaskValidationException(problems);
        }
    }

    /**
     * The task with DM's defaults filled in where a value is absent: meta_schema {@code dm_meta},
     * on_duplicate {@code replace}, enhance_online_schema_change true, export/import threads 4/16,
     * data_dir {@code ./dumped_data}, consistency {@code auto}, repl threads/batch 16/100, safe_mode
     * false, and {@code *} (every table) for a rule's absent {@code source.table}. An empty shard_mode
     * becomes absent (no shard DDL coordination). Idempotent.
     */
    public static TaskConfig applyDefaults(TaskConfig task) {
        return TaskDefaults.apply(task);
    }

    private static void checkBasics(TaskConfig task, Problems p) {
        if (p.require("name", task.name()) && !TASK_NAME.matcher(task.name()).matches()) {
            p.add("name", "'" + task.name() + "' is not a valid task name; use 1 to 64 letters, digits, '_', '-' or '.'");
        }
        p.oneOf("task_mode", task.taskMode(), TASK_MODES, true);
        p.oneOf("shard_mode", task.shardMode(), SHARD_MODES, false);
        if ("optimistic".equals(task.shardMode())) {
            // Accepting it would merge shards with no coordination at all: refuse rather than half-work.
            p.add("shard_mode", "'optimistic' is not supported yet; use 'pessimistic' (every source waits at a DDL of a"
                    + " merged table until all have reached it, then it runs downstream once; see docs/shard-ddl.md)");
        }
        p.oneOf("on_duplicate", task.onDuplicate(), ON_DUPLICATE, false);
        if (task.metaSchema() != null && !META_SCHEMA.matcher(task.metaSchema()).matches()) {
            p.add("meta_schema", "'" + task.metaSchema() + "' is not a valid schema name; use 1 to 64 letters, digits, '_' or '$'");
        }
    }

    private static void checkTarget(TargetConfig target, Problems p) {
        if (target == null) {
            p.add("target_config", "is required: the downstream database (host, port, user, password)");
            return;
        }
        p.require("target_config.host", target.host());
        if (target.port() == null) {
            p.add("target_config.port", "is required");
        } else {
            p.inRange("target_config.port", target.port(), 1, 65535);
        }
        p.require("target_config.user", target.user());
    }

    private static void checkFull(FullMigrateConf full, Problems p) {
        if (full == null) {
            return;
        }
        String f = "source_config.full_migrate_conf.";
        p.inRange(f + "export_threads", full.exportThreads(), 1, MAX_THREADS);
        p.inRange(f + "import_threads", full.importThreads(), 1, MAX_THREADS);
        if (full.dataDir() != null && full.dataDir().isBlank()) {
            p.add(f + "data_dir", "must not be empty; omit it for ./dumped_data");
        }
        p.oneOf(f + "consistency", full.consistency(), CONSISTENCY, false);
    }

    private static void checkIncr(IncrMigrateConf incr, Problems p) {
        if (incr == null) {
            return;
        }
        String f = "source_config.incr_migrate_conf.";
        p.inRange(f + "repl_threads", incr.replThreads(), 1, MAX_THREADS);
        p.inRange(f + "repl_batch", incr.replBatch(), 1, MAX_REPL_BATCH);
    }
}
