package io.dmjava.model.task;

import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.rules.BinlogEventTypes;
import io.dmjava.model.task.rules.NamePattern;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks of {@code table_migrate_rule} and {@code binlog_filter_rule}. */
final class TableRuleChecks {
    /** MySQL's limit for schema and table names. */
    private static final int MAX_NAME_LENGTH = 64;

    private TableRuleChecks() {
    }

    static void check(TaskConfig task, Problems p) {
        Map<String, BinlogFilterRule> filters = task.binlogFilterRule() == null ? Map.of() : task.binlogFilterRule();
        checkFilters(filters, p);
        List<TableMigrateRule> rules = task.tableMigrateRule();
        if (rules == null || rules.isEmpty()) {
            p.add("table_migrate_rule", "at least one rule is required: without one no table is migrated");
            return;
        }
        List<SourceConf> confs = task.sourceConfig() == null || task.sourceConfig().sourceConf() == null
                ? List.of() : task.sourceConfig().sourceConf();
        Set<String> taskSources = confs.stream().filter(Objects::nonNull).map(SourceConf::sourceName)
                .filter(Objects::nonNull).collect(Collectors.toSet());
        Map<List<String>, Integer> firstBySelection = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            String f = "table_migrate_rule[" + i + "]";
            TableMigrateRule rule = rules.get(i);
            if (rule == null || rule.source() == null) {
                p.add(f + ".source", "is required: source_name and schema of the upstream tables");
                continue;
            }
            NamePattern table = checkSource(f + ".source", rule.source(), taskSources, p);
            checkTarget(f + ".target", rule.target(), table, p);
            checkFilterRefs(f + ".binlog_filter_rule", rule.binlogFilterRule(), filters, p);
            checkRepeat(f, i, rule, rules, firstBySelection, p);
        }
        checkEverySourceHasRules(confs, rules, p);
    }

    /** Checks the source part; returns the parsed table pattern (ALL when absent or invalid). */
    private static NamePattern checkSource(String f, RuleSource source, Set<String> taskSources, Problems p) {
        if (p.require(f + ".source_name", source.sourceName()) && !taskSources.contains(source.sourceName())) {
            p.add(f + ".source_name", "source '" + source.sourceName() + "' is not in source_config.source_conf");
        }
        if (Problems.isBlank(source.schema())) {
            p.add(f + ".schema", "is required; use '*' for every schema");
        } else {
            parse(f + ".schema", source.schema(), p);
        }
        return source.table() == null ? NamePattern.ALL : parse(f + ".table", source.table(), p);
    }

    private static NamePattern parse(String field, String pattern, Problems p) {
        try {
            return NamePattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            String kind = pattern.startsWith("~") ? "regular expression" : "wildcard pattern";
            p.add(field, "'" + pattern + "' is not a valid " + kind + ": " + e.getMessage());
            return NamePattern.ALL;
        }
    }

    private static void checkTarget(String f, RuleTarget target, NamePattern sourceTable, Problems p) {
        if (target == null) {
            return;
        }
        checkTargetName(f + ".schema", target.schema(), p);
        checkTargetName(f + ".table", target.table(), p);
        if (!Problems.isBlank(target.table()) && sourceTable.isAll()) {
            p.add(f + ".table", "needs source.table: a rule for whole schemas cannot merge all their tables into one table");
        }
    }

    private static void checkTargetName(String field, String name, Problems p) {
        if (name == null) {
            return;
        }
        if (name.isBlank()) {
            p.add(field, "must not be empty; omit it to keep the upstream name");
        } else if (NamePattern.looksLikePattern(name)) {
            p.add(field, "'" + name + "' contains wildcard or regex characters; a target must be a plain name");
        } else if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            p.add(field, "'" + name + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }

    private static void checkFilterRefs(String f, List<String> names, Map<String, BinlogFilterRule> filters, Problems p) {
        if (names == null) {
            return;
        }
        for (int j = 0; j < names.size(); j++) {
            if (!filters.containsKey(names.get(j))) {
                p.add(f + "[" + j + "]", "'" + names.get(j) + "' is not defined in binlog_filter_rule");
            }
        }
    }

    /** A listed source without any rule would be read (and block its worker) while migrating nothing. */
    private static void checkEverySourceHasRules(List<SourceConf> confs, List<TableMigrateRule> rules, Problems p) {
        Set<String> withRules = rules.stream()
                .filter(r -> r != null && r.source() != null && r.source().sourceName() != null)
                .map(r -> r.source().sourceName()).collect(Collectors.toSet());
        for (int i = 0; i < confs.size(); i++) {
            SourceConf conf = confs.get(i);
            if (conf != null && !Problems.isBlank(conf.sourceName()) && !withRules.contains(conf.sourceName())) {
                p.add("source_config.source_conf[" + i + "].source_name", "source '" + conf.sourceName()
                        + "' has no table_migrate_rule, so nothing would be migrated from it; add a rule or remove the source");
            }
        }
    }

    /** The same tables routed to two different places is a mistake even though the earlier rule would win. */
    private static void checkRepeat(String f, int i, TableMigrateRule rule, List<TableMigrateRule> rules,
                                    Map<List<String>, Integer> firstBySelection, Problems p) {
        RuleSource s = rule.source();
        String table = s.table() == null || s.table().isEmpty() ? "*" : s.table();
        Integer first = firstBySelection.putIfAbsent(Arrays.asList(s.sourceName(), s.schema(), table), i);
        if (first != null && !Objects.equals(rules.get(first).target(), rule.target())) {
            p.add(f + ".target", "table_migrate_rule[" + first + "] selects the same tables with a different target");
        }
    }

    private static void checkFilters(Map<String, BinlogFilterRule> filters, Problems p) {
        filters.forEach((name, rule) -> {
            String f = "binlog_filter_rule." + name;
            if (Problems.isBlank(name)) {
                p.add("binlog_filter_rule", "a rule name must not be empty");
                return;
            }
            boolean noEvents = rule == null || rule.ignoreEvent() == null || rule.ignoreEvent().isEmpty();
            boolean noSql = rule == null || rule.ignoreSql() == null || rule.ignoreSql().isEmpty();
            if (noEvents && noSql) {
                p.add(f, "has neither ignore_event nor ignore_sql, so it filters nothing");
                return;
            }
            List<String> events = noEvents ? List.of() : rule.ignoreEvent();
            for (int j = 0; j < events.size(); j++) {
                if (!BinlogEventTypes.isKnown(events.get(j))) {
                    p.add(f + ".ignore_event[" + j + "]", "'" + events.get(j) + "' is not a binlog event type; use one of "
                            + String.join(", ", BinlogEventTypes.DOCUMENTED));
                }
            }
            List<String> sqls = noSql ? List.of() : rule.ignoreSql();
            for (int j = 0; j < sqls.size(); j++) {
                if (Problems.isBlank(sqls.get(j))) {
                    p.add(f + ".ignore_sql[" + j + "]", "must not be empty: an empty pattern would ignore every statement");
                } else {
                    p.compiles(f + ".ignore_sql[" + j + "]", sqls.get(j));
                }
            }
        });
    }
}
