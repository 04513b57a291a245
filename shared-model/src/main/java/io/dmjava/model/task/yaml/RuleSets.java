package io.dmjava.model.task.yaml;

import static io.dmjava.model.task.yaml.TaskFileReader.blankToNull;
import static io.dmjava.model.task.yaml.TaskFileReader.invalid;
import static io.dmjava.model.task.yaml.TaskFileReader.isBlank;
import static io.dmjava.model.task.yaml.TaskFileReader.unsupported;

import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.rules.Intersection;
import io.dmjava.model.task.rules.NamePattern;
import io.dmjava.model.task.rules.SystemSchemas;
import io.dmjava.model.task.rules.TablePattern;
import io.dmjava.model.task.yaml.TaskFile.BlockAllowList;
import io.dmjava.model.task.yaml.TaskFile.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The global rule sets of a task file as one instance uses them: its selection, routes and filters. */
final class RuleSets {
    /**
     * {@link TaskFileWriter} names the second and later uses of one binlog_filter_rule {@code name@2},
     * {@code name@3}...; reading maps them back to {@code name} when their content is the same.
     */
    private static final Pattern REPEATED_FILTER = Pattern.compile("(.+)@[0-9]+");

    private final TaskFile file;
    private final String where;

    RuleSets(TaskFile file, String where) {
        this.file = file;
        this.where = where;
    }

    /** What a block-allow-list selects, as a union of table patterns (no list: everything). */
    List<TablePattern> selection(String name, BlockAllowList ba) {
        if (name != null && ba == null) {
            throw invalid(where + ".block-allow-list", "'" + name + "' is not defined in block-allow-list");
        }
        String f = "block-allow-list." + name;
        List<NamePattern> dbs = new ArrayList<>();
        List<TablePattern> tables = new ArrayList<>();
        if (ba != null) {
            rejectEffectiveIgnores(f, ba);
            List<String> doDbs = ba.doDbs() == null ? List.of() : ba.doDbs();
            for (int i = 0; i < doDbs.size(); i++) {
                dbs.add(pattern(f + ".do-dbs[" + i + "]", doDbs.get(i), true));
            }
            List<TableRef> doTables = ba.doTables() == null ? List.of() : ba.doTables();
            for (int i = 0; i < doTables.size(); i++) {
                TableRef t = doTables.get(i);
                String tf = f + ".do-tables[" + i + "]";
                tables.add(new TablePattern(pattern(tf + ".db-name", t == null ? null : t.dbName(), true),
                        pattern(tf + ".tbl-name", t == null ? null : t.tblName(), true)));
            }
        }
        return combine(f, dbs, tables);
    }

    /** DM requires a table to pass both do-dbs and do-tables when both are given. */
    private static List<TablePattern> combine(String f, List<NamePattern> dbs, List<TablePattern> tables) {
        if (dbs.isEmpty() && tables.isEmpty()) {
            return List.of(new TablePattern(NamePattern.ALL, NamePattern.ALL));
        }
        if (tables.isEmpty()) {
            return dbs.stream().distinct().map(d -> new TablePattern(d, NamePattern.ALL)).toList();
        }
        if (dbs.isEmpty()) {
            return tables.stream().distinct().toList();
        }
        List<TablePattern> both = new ArrayList<>();
        for (NamePattern d : dbs) {
            for (TablePattern t : tables) {
                Intersection<TablePattern> i = new TablePattern(d, NamePattern.ALL).intersect(t);
                if (i.state() == Intersection.State.UNKNOWN) {
                    throw unsupported(f + " (do-dbs '" + d + "' with do-tables db-name '" + t.schema() + "')",
                            "list the tables only in do-tables, or use literal names or 'prefix*' wildcards in both");
                }
                if (i.isKnown() && !both.contains(i.value())) {
                    both.add(i.value());
                }
            }
        }
        return both;
    }

    /**
     * DM ignores ignore-dbs next to do-dbs and ignore-tables next to do-tables, and we never migrate
     * system schemas; any other ignore entry excludes tables, which a table rule cannot do.
     */
    private static void rejectEffectiveIgnores(String f, BlockAllowList ba) {
        boolean hasDoDbs = ba.doDbs() != null && !ba.doDbs().isEmpty();
        boolean hasDoTables = ba.doTables() != null && !ba.doTables().isEmpty();
        String workaround = "a table rule can only select tables: list the schemas or tables to migrate in do-dbs/do-tables instead";
        if (!hasDoDbs && ba.ignoreDbs() != null && !ba.ignoreDbs().stream().allMatch(SystemSchemas::isSystem)) {
            throw unsupported(f + ".ignore-dbs", workaround);
        }
        if (!hasDoTables && ba.ignoreTables() != null
                && !ba.ignoreTables().stream().allMatch(t -> t != null && SystemSchemas.isSystem(t.dbName()))) {
            throw unsupported(f + ".ignore-tables", workaround);
        }
    }

    List<InstanceRules.Route> routes(List<String> names) {
        List<InstanceRules.Route> routes = new ArrayList<>();
        List<String> list = names == null ? List.of() : names;
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i);
            TaskFile.Route r = file.routes() == null ? null : file.routes().get(name);
            if (r == null) {
                throw invalid(where + ".route-rules[" + i + "]", "'" + name + "' is not defined in routes");
            }
            String f = "routes." + name;
            if (r.extractTable() != null || r.extractSchema() != null || r.extractSource() != null) {
                throw unsupported(f + ".extract-table/extract-schema/extract-source",
                        "writing the shard's origin into a column is not available; remove these keys");
            }
            routes.add(new InstanceRules.Route(name, i,
                    new TablePattern(pattern(f + ".schema-pattern", r.schemaPattern(), true),
                            pattern(f + ".table-pattern", r.tablePattern(), false)),
                    blankToNull(r.targetSchema()), blankToNull(r.targetTable())));
        }
        return routes;
    }

    /** The instance's filters; records each one's binlog_filter_rule in {@code used}. */
    List<InstanceRules.Filter> filters(List<String> names, Map<String, BinlogFilterRule> used) {
        List<InstanceRules.Filter> filters = new ArrayList<>();
        List<String> list = names == null ? List.of() : names;
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i);
            TaskFile.Filter flt = file.filters() == null ? null : file.filters().get(name);
            if (flt == null) {
                throw invalid(where + ".filter-rules[" + i + "]", "'" + name + "' is not defined in filters");
            }
            String f = "filters." + name;
            if (isBlank(flt.action())) {
                throw invalid(f + ".action", "is required (Ignore)");
            }
            if (!flt.action().equalsIgnoreCase("Ignore")) {
                throw unsupported(f + ".action " + flt.action(),
                        "binlog_filter_rule can only ignore events; rewrite it as an Ignore rule listing the events to drop");
            }
            String ruleName = ruleName(name, flt);
            used.putIfAbsent(ruleName, new BinlogFilterRule(emptyToNull(flt.events()), emptyToNull(flt.sqlPattern())));
            filters.add(new InstanceRules.Filter(name, ruleName, new TablePattern(
                    pattern(f + ".schema-pattern", flt.schemaPattern(), true),
                    pattern(f + ".table-pattern", flt.tablePattern(), false))));
        }
        return filters;
    }

    private String ruleName(String name, TaskFile.Filter filter) {
        Matcher m = REPEATED_FILTER.matcher(name);
        if (m.matches()) {
            TaskFile.Filter base = file.filters().get(m.group(1));
            if (base != null && sameContent(base, filter)) {
                return m.group(1);
            }
        }
        return name;
    }

    private static boolean sameContent(TaskFile.Filter a, TaskFile.Filter b) {
        return Objects.equals(emptyToNull(a.events()), emptyToNull(b.events()))
                && Objects.equals(emptyToNull(a.sqlPattern()), emptyToNull(b.sqlPattern()))
                && a.action() != null && b.action() != null
                && a.action().toLowerCase(Locale.ROOT).equals(b.action().toLowerCase(Locale.ROOT));
    }

    private static NamePattern pattern(String field, String text, boolean required) {
        if (required && isBlank(text)) {
            throw invalid(field, "is required");
        }
        try {
            return NamePattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "'" + text + "' is not a valid pattern: " + e.getMessage());
        }
    }

    private static List<String> emptyToNull(List<String> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
