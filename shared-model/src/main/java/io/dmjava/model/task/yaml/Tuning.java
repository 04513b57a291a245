package io.dmjava.model.task.yaml;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskDefaults;
import io.dmjava.model.task.yaml.TaskFile.Instance;
import io.dmjava.model.task.yaml.TaskFile.Loader;
import io.dmjava.model.task.yaml.TaskFile.Mydumper;
import io.dmjava.model.task.yaml.TaskFile.Syncer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dump/load/sync settings of a task file. DM allows a different mydumper/loader/syncer config per
 * instance; a task's {@code source_config} has one for all sources, so every instance must end up with
 * the same effective value (DM's default counts as a value), or the file is rejected.
 */
final class Tuning {
    private final TaskFile file;
    private final Setting<Integer> exportThreads = new Setting<>("dump threads", TaskDefaults.EXPORT_THREADS);
    private final Setting<String> consistency = new Setting<>("dump consistency", TaskDefaults.CONSISTENCY);
    private final Setting<Integer> importThreads = new Setting<>("load pool-size", TaskDefaults.IMPORT_THREADS);
    private final Setting<String> dataDir = new Setting<>("load dir", TaskDefaults.DATA_DIR);
    private final Setting<String> onDuplicate = new Setting<>("load on-duplicate", TaskDefaults.ON_DUPLICATE);
    private final Setting<Integer> replThreads = new Setting<>("sync worker-count", TaskDefaults.REPL_THREADS);
    private final Setting<Integer> replBatch = new Setting<>("sync batch", TaskDefaults.REPL_BATCH);
    private final Setting<Boolean> safeMode = new Setting<>("sync safe-mode", false);

    Tuning(TaskFile file) {
        this.file = file;
    }

    /** Adds the effective settings of one instance. */
    void add(Instance inst, String where) {
        Mydumper m = lookup(file.mydumpers(), "mydumpers", inst.mydumperConfigName(), where + ".mydumper-config-name");
        Loader l = lookup(file.loaders(), "loaders", inst.loaderConfigName(), where + ".loader-config-name");
        Syncer s = lookup(file.syncers(), "syncers", inst.syncerConfigName(), where + ".syncer-config-name");
        String mName = "mydumpers." + inst.mydumperConfigName();
        if (m != null && m.where() != null && !m.where().isBlank()) {
            throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, mName + ".where",
                    "a task cannot filter rows while dumping; remove it or use a view upstream");
        }
        exportThreads.add(first(inst.mydumperThread(), m == null ? null : m.threads()), where);
        consistency.add(m == null ? null : consistencyOf(m.extraArgs(), mName + ".extra-args"), where);
        String lName = "loaders." + inst.loaderConfigName();
        if (l != null && l.importMode() != null && !List.of("", "logical", "sql", "loader").contains(l.importMode())) {
            throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, lName + ".import-mode '" + l.importMode() + "'",
                    "only logical import (SQL statements) is supported; remove import-mode");
        }
        importThreads.add(first(inst.loaderThread(), l == null ? null : l.poolSize()), where);
        dataDir.add(l == null ? null : blankToNull(l.dir()), where);
        onDuplicate.add(l == null ? null : blankToNull(first(l.onDuplicateLogical(), l.onDuplicate())), where);
        replThreads.add(first(inst.syncerThread(), s == null ? null : s.workerCount()), where);
        replBatch.add(s == null ? null : s.batch(), where);
        safeMode.add(s == null ? null : s.safeMode(), where);
    }

    /** Null when no instance set any dump/load setting. */
    FullMigrateConf full() {
        FullMigrateConf f = new FullMigrateConf(exportThreads.value(), importThreads.value(), dataDir.value(),
                consistency.value());
        return f.equals(new FullMigrateConf(null, null, null, null)) ? null : f;
    }

    IncrMigrateConf incr() {
        IncrMigrateConf i = new IncrMigrateConf(replThreads.value(), replBatch.value(), safeMode.value());
        return i.equals(new IncrMigrateConf(null, null, null)) ? null : i;
    }

    String onDuplicate() {
        return onDuplicate.value();
    }

    private static <T> T lookup(Map<String, T> configs, String section, String name, String field) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        T config = configs == null ? null : configs.get(name);
        if (config == null) {
            throw new DmException(ErrorCode.TASK_FILE_INVALID, field, "'" + name + "' is not defined in " + section);
        }
        return config;
    }

    /** DM passes {@code extra-args} to dumpling; of those only {@code --consistency} has a task field. */
    private static String consistencyOf(String extraArgs, String field) {
        if (extraArgs == null || extraArgs.isBlank()) {
            return null;
        }
        String[] words = extraArgs.strip().split("\\s+");
        if (words.length == 1 && words[0].startsWith("--consistency=")) {
            return words[0].substring("--consistency=".length());
        }
        if (words.length == 2 && words[0].equals("--consistency")) {
            return words[1];
        }
        throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, field + " '" + extraArgs + "'",
                "only '--consistency <mode>' has an equivalent (source_config.full_migrate_conf.consistency); remove the other arguments");
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** One setting that all instances must agree on; {@code value()} is null unless some instance set it. */
    private static final class Setting<T> {
        private final String what;
        private final T dmDefault;
        private T effective;
        private String firstWhere;
        private boolean explicit;

        Setting(String what, T dmDefault) {
            this.what = what;
            this.dmDefault = dmDefault;
        }

        void add(T value, String where) {
            T v = value == null ? dmDefault : value;
            explicit |= value != null;
            if (firstWhere == null) {
                effective = v;
                firstWhere = where;
            } else if (!Objects.equals(effective, v)) {
                throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, "a different " + what + " per instance",
                        where + " uses " + v + " but " + firstWhere + " uses " + effective
                                + "; a task has one setting for all sources, so give every instance the same value");
            }
        }

        T value() {
            return explicit ? effective : null;
        }
    }
}
