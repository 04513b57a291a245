package io.dmjava.model.task.rules;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@link TableRouter} of one source of a task, built from its {@code table_migrate_rule} entries
 * the way DM builds a block-allow-list and route rules from them:
 * <ul>
 *   <li><b>selection</b>: a table is migrated iff at least one rule matches it and its schema is not a
 *       {@linkplain SystemSchemas system schema};</li>
 *   <li><b>routing</b>: among the matching rules <em>that have a target</em>, the most specific one
 *       ({@link TablePattern#SPECIFICITY}: literal table &gt; table wildcard/regex &gt; whole schema, then
 *       literal schema &gt; schema pattern) decides; on a tie the earlier rule in the list wins. A rule
 *       without a target only selects (and attaches binlog filters): it never cancels the route of a
 *       less specific rule, exactly as in DM, where such a rule becomes a block-allow-list entry and
 *       not a route. To keep one table's name despite a wildcard route, give it a target equal to its
 *       own name. With no matching target the upstream names are kept; a missing target schema or
 *       table keeps that part of the upstream name;</li>
 *   <li><b>binlog filters</b>: every matching rule contributes its filter names (most specific rule
 *       first, duplicates removed), as DM applies every filter rule whose patterns match.</li>
 * </ul>
 * Immutable and thread-safe. Every call matches all of the source's rules, so a caller on a hot path
 * (the sync unit, per row event) should remember the answer per table: it never changes for one task.
 */
public final class TableRulesRouter implements TableRouter {
    private static final Comparator<CompiledRule> MOST_SPECIFIC_FIRST = Comparator
            .comparing(CompiledRule::pattern, TablePattern.SPECIFICITY.reversed())
            .thenComparingInt(CompiledRule::index);

    private final List<CompiledRule> rules;

    public TableRulesRouter(List<CompiledRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The source's rules in task order. */
    public List<CompiledRule> rules() {
        return rules;
    }

    @Override
    public Optional<TableName> route(String schema, String table) {
        List<CompiledRule> matching = matching(schema, table);
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(matching.stream()
                .filter(CompiledRule::hasTarget)
                .findFirst()
                .map(r -> new TableName(r.targetSchema() != null ? r.targetSchema() : schema,
                        r.targetTable() != null ? r.targetTable() : table))
                .orElseGet(() -> new TableName(schema, table)));
    }

    @Override
    public boolean schemaMayMatch(String schema) {
        return !SystemSchemas.isSystem(schema) && rules.stream().anyMatch(r -> r.pattern().schema().matches(schema));
    }

    /** Names of the {@code binlog_filter_rule} entries that apply to an upstream table (empty if it is not migrated). */
    public List<String> binlogFilterRuleNames(String schema, String table) {
        return matching(schema, table).stream()
                .flatMap(r -> r.binlogFilterRules().stream())
                .distinct()
                .toList();
    }

    /** The rules matching a table, most specific first; none for a system schema. */
    private List<CompiledRule> matching(String schema, String table) {
        if (SystemSchemas.isSystem(schema)) {
            return List.of();
        }
        return rules.stream()
                .filter(r -> r.pattern().matches(schema, table))
                .sorted(MOST_SPECIFIC_FIRST)
                .toList();
    }
}
