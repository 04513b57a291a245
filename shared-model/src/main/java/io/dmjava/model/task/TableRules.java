package io.dmjava.model.task;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.rules.CompiledRule;
import io.dmjava.model.task.rules.NamePattern;
import io.dmjava.model.task.rules.TablePattern;
import io.dmjava.model.task.rules.TableRulesRouter;
import java.util.ArrayList;
import java.util.List;

/**
 * Table selection and routing of a task, per source, from its {@code table_migrate_rule} list. See
 * {@link TableRulesRouter} for the semantics (selection by any rule, routing by the most specific rule
 * with a target, system schemas never migrated) and {@link NamePattern} for the pattern syntax.
 */
public final class TableRules {
    private TableRules() {
    }

    /**
     * The router of one source: only the rules whose {@code source.source_name} is {@code sourceName}
     * count; a source without rules migrates nothing.
     *
     * @throws DmException {@link ErrorCode#TABLE_RULE_INVALID} when a pattern of that source does not
     *                     compile (a validated task never does that)
     */
    public static TableRulesRouter forSource(TaskConfig task, String sourceName) {
        List<TableMigrateRule> all = task.tableMigrateRule() == null ? List.of() : task.tableMigrateRule();
        List<CompiledRule> compiled = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            TableMigrateRule rule = all.get(i);
            RuleSource source = rule == null ? null : rule.source();
            if (source == null || !sourceName.equals(source.sourceName())) {
                continue;
            }
            String field = "table_migrate_rule[" + i + "].source";
            TablePattern pattern = new TablePattern(parse(field + ".schema", source.schema()),
                    parse(field + ".table", source.table()));
            RuleTarget target = rule.target();
            compiled.add(new CompiledRule(i, pattern, target == null ? null : target.schema(),
                    target == null ? null : target.table(), rule.binlogFilterRule()));
        }
        return new TableRulesRouter(compiled);
    }

    /**
     * Names of the task's {@code binlog_filter_rule} entries that apply to an upstream table of a source:
     * those of every rule of that source matching the table, most specific rule first, without repeats.
     */
    public static List<String> binlogFilterRuleNames(TaskConfig task, String sourceName, TableName upstream) {
        return forSource(task, sourceName).binlogFilterRuleNames(upstream.schema(), upstream.table());
    }

    private static NamePattern parse(String field, String pattern) {
        try {
            return NamePattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new DmException(ErrorCode.TABLE_RULE_INVALID, field + " '" + pattern + "'", e.getMessage());
        }
    }
}
