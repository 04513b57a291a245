package io.dmjava.model.task;

import io.dmjava.model.task.TaskConfig.SourceConf;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of {@code source_config.source_conf}: which sources a task reads and where it starts. */
final class SourceConfChecks {
    /** A binlog file name: base name, a dot, a sequence number ({@code mysql-bin.000042}). */
    private static final Pattern BINLOG_NAME = Pattern.compile(".+\\.[0-9]+");
    /** Every binlog file starts with a 4-byte magic number, so no event starts before offset 4. */
    private static final long FIRST_EVENT_POS = 4;

    private SourceConfChecks() {
    }

    static void check(TaskConfig task, Set<String> knownSources, Problems p) {
        List<SourceConf> confs = task.sourceConfig() == null ? null : task.sourceConfig().sourceConf();
        if (confs == null || confs.isEmpty()) {
            p.add("source_config.source_conf", "at least one source is required");
            return;
        }
        boolean incremental = "incremental".equals(task.taskMode());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < confs.size(); i++) {
            String f = "source_config.source_conf[" + i + "]";
            SourceConf conf = confs.get(i);
            if (conf == null) {
                p.add(f, "is empty; give at least source_name");
                continue;
            }
            checkName(f + ".source_name", conf.sourceName(), knownSources, seen, p);
            checkStart(f, conf, incremental, p);
        }
    }

    private static void checkName(String field, String name, Set<String> known, Set<String> seen, Problems p) {
        if (!p.require(field, name)) {
            return;
        }
        if (!known.contains(name)) {
            p.add(field, "source '" + name + "' does not exist; create it first (POST /api/v1/sources) or correct the name");
        }
        if (!seen.add(name)) {
            p.add(field, "source '" + name + "' is listed more than once");
        }
    }

    private static void checkStart(String f, SourceConf conf, boolean incremental, Problems p) {
        if (conf.binlogName() != null && !BINLOG_NAME.matcher(conf.binlogName()).matches()) {
            p.add(f + ".binlog_name", "'" + conf.binlogName() + "' is not a binlog file name like mysql-bin.000001");
        }
        if (conf.binlogPos() != null && conf.binlogPos() < FIRST_EVENT_POS) {
            p.add(f + ".binlog_pos", conf.binlogPos() + " is before the first event of a binlog file; use 4 or more");
        }
        // Only an incremental task starts from these; the others start where their own dump was taken.
        if (incremental && conf.binlogPos() != null && Problems.isBlank(conf.binlogName())) {
            p.add(f + ".binlog_name", "is required when binlog_pos is given: a position is meaningless without its file");
        }
        if (incremental && conf.binlogName() != null && conf.binlogPos() == null) {
            p.add(f + ".binlog_pos", "is required when binlog_name is given (use 4 for the start of the file)");
        }
        if (!Problems.isBlank(conf.binlogGtid())) {
            String error = GtidSyntax.check(conf.binlogGtid());
            if (error != null) {
                p.add(f + ".binlog_gtid", error);
            }
        }
    }
}
