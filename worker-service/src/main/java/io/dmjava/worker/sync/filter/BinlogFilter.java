package io.dmjava.worker.sync.filter;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRules;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.rules.CompiledRule;
import io.dmjava.model.task.rules.SystemSchemas;
import io.dmjava.model.task.rules.TableRulesRouter;
import io.dmjava.worker.sync.binlog.RowKind;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The binlog event filter of one source of a task, with DM's semantics: the {@code binlog_filter_rule}
 * entries named by every {@code table_migrate_rule} matching an upstream table apply to it, and an event
 * is ignored when any of them lists its event type ({@code ignore_event}: "insert", "drop table", "all
 * dml", ...; "none", "none ddl", "none dml" list nothing) or, for a statement, when any
 * {@code ignore_sql} regular expression is found in its text.
 *
 * <p>Database DDL has no table: the rules of every {@code table_migrate_rule} whose schema pattern
 * matches the database apply, whatever their table pattern. DM's fine-grained ALTER TABLE names
 * ("add column", "modify column", ...) are accepted but never match: ALTER TABLE is only "alter table"
 * here. Thread-safe; answers are remembered per table and database.
 */
public final class BinlogFilter {
    private static final Map<String, String> ALIASES = Map.of(
            "create schema", "create database", "drop schema", "drop database", "alter schema", "alter database");

    private final TableRulesRouter router;
    private final Map<String, Rule> rules;
    private final Map<TableName, List<Rule>> byTable = new ConcurrentHashMap<>();
    private final Map<String, List<Rule>> bySchema = new ConcurrentHashMap<>();

    /**
     * @throws DmException {@link ErrorCode#TASK_INVALID} when a rule name is referenced but not defined or
     *                     an {@code ignore_sql} pattern does not compile (a validated task has neither)
     */
    public BinlogFilter(TaskConfig task, String sourceName) {
        this.router = TableRules.forSource(task, sourceName);
        Map<String, BinlogFilterRule> defined = task.binlogFilterRule() == null ? Map.of() : task.binlogFilterRule();
        Map<String, Rule> compiled = new HashMap<>();
        for (CompiledRule r : router.rules()) {
            for (String name : r.binlogFilterRules()) {
                if (!compiled.containsKey(name)) {
                    BinlogFilterRule rule = defined.get(name);
                    if (rule == null) {
                        throw new DmException(ErrorCode.TASK_INVALID, "table_migrate_rule[" + r.index()
                                + "].binlog_filter_rule names '" + name + "', which binlog_filter_rule does not define");
                    }
                    compiled.put(name, Rule.compile(name, rule));
                }
            }
        }
        this.rules = Map.copyOf(compiled);
    }

    /** Whether rows of {@code kind} changed in the upstream table are to be skipped. */
    public boolean ignoresDml(TableName upstream, RowKind kind) {
        String event = kind.name().toLowerCase(Locale.ROOT);
        for (Rule r : forTable(upstream)) {
            if (r.ignoresEvent(event, true)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a statement is to be skipped. Table DDL is judged by the tables it acts on (for RENAME
     * the old names) and is ignored only when it is ignored for each of them, so multi-table statements
     * should be {@linkplain ParsedDdl#split() split} first. Statements that are not DDL are never ignored
     * here (their caller does not replicate them).
     */
    public boolean ignoresDdl(ParsedDdl ddl) {
        if (!ddl.kind().isDdl()) {
            return false;
        }
        List<TableName> tables = ddl.tables();
        if (ddl.kind().isDatabaseDdl() || tables.isEmpty()) {
            String schema = ddl.schemaName();
            return schema != null && ignores(forSchema(schema), ddl);
        }
        for (TableName t : tables) {
            if (!ignores(forTable(t), ddl)) {
                return false;
            }
        }
        return true;
    }

    /** The names of the filter rules that apply to an upstream table, most specific table rule first. */
    public List<String> ruleNames(TableName upstream) {
        return forTable(upstream).stream().map(Rule::name).toList();
    }

    private static boolean ignores(List<Rule> applicable, ParsedDdl ddl) {
        for (Rule r : applicable) {
            if (r.ignoresEvent(ddl.eventType(), false) || r.ignoresSql(ddl.sql())) {
                return true;
            }
        }
        return false;
    }

    private List<Rule> forTable(TableName table) {
        return byTable.computeIfAbsent(table, t -> named(router.binlogFilterRuleNames(t.schema(), t.table())));
    }

    private List<Rule> forSchema(String schema) {
        return bySchema.computeIfAbsent(schema, s -> {
            if (SystemSchemas.isSystem(s)) {
                return List.of();
            }
            List<String> names = router.rules().stream()
                    .filter(r -> r.pattern().schema().matches(s))
                    .sorted(Comparator.comparingInt(CompiledRule::index))
                    .flatMap(r -> r.binlogFilterRules().stream())
                    .distinct()
                    .toList();
            return named(names);
        });
    }

    private List<Rule> named(List<String> names) {
        List<Rule> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(rules.get(n));
        }
        return List.copyOf(out);
    }

    /** One {@code binlog_filter_rule} entry, compiled. */
    private record Rule(String name, Set<String> events, List<Pattern> sql) {
        static Rule compile(String name, BinlogFilterRule rule) {
            Set<String> events = new HashSet<>();
            if (rule.ignoreEvent() != null) {
                for (String e : rule.ignoreEvent()) {
                    String lower = e.trim().toLowerCase(Locale.ROOT);
                    events.add(ALIASES.getOrDefault(lower, lower));
                }
            }
            List<Pattern> patterns = new ArrayList<>();
            if (rule.ignoreSql() != null) {
                for (int i = 0; i < rule.ignoreSql().size(); i++) {
                    try {
                        patterns.add(Pattern.compile(rule.ignoreSql().get(i)));
                    } catch (PatternSyntaxException e) {
                        throw new DmException(ErrorCode.TASK_INVALID, "binlog_filter_rule." + name + ".ignore_sql["
                                + i + "] is not a valid regular expression: " + e.getDescription());
                    }
                }
            }
            return new Rule(name, Set.copyOf(events), List.copyOf(patterns));
        }

        boolean ignoresEvent(String eventType, boolean dml) {
            if (events.contains("all") || events.contains(dml ? "all dml" : "all ddl")) {
                return true;
            }
            return eventType != null && events.contains(eventType);
        }

        boolean ignoresSql(String statement) {
            for (Pattern p : sql) {
                if (p.matcher(statement).find()) {
                    return true;
                }
            }
            return false;
        }
    }
}
