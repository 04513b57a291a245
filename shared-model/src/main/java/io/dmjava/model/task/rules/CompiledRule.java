package io.dmjava.model.task.rules;

import java.util.List;

/**
 * One {@code table_migrate_rule} of a source, parsed.
 *
 * @param index             position in the task's {@code table_migrate_rule} list (for messages and ties)
 * @param pattern           the upstream tables it selects
 * @param targetSchema      downstream schema, or null to keep the upstream schema name
 * @param targetTable       downstream table, or null to keep the upstream table name
 * @param binlogFilterRules names of the task's {@code binlog_filter_rule} entries applied to these tables
 */
public record CompiledRule(int index, TablePattern pattern, String targetSchema, String targetTable,
                           List<String> binlogFilterRules) {
    public CompiledRule {
        targetSchema = blankToNull(targetSchema);
        targetTable = blankToNull(targetTable);
        binlogFilterRules = binlogFilterRules == null ? List.of() : List.copyOf(binlogFilterRules);
    }

    /** Whether the rule renames (routes) what it selects; a rule without a target only selects. */
    public boolean hasTarget() {
        return targetSchema != null || targetTable != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
