package io.dmjava.model.task.yaml;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig.RuleSource;
import io.dmjava.model.task.TaskConfig.RuleTarget;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.rules.Intersection;
import io.dmjava.model.task.rules.TablePattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns one {@code mysql-instances} entry's block-allow-list, routes and filters into
 * {@code table_migrate_rule} entries that select, route and filter exactly the same tables under
 * {@link io.dmjava.model.task.rules.TableRulesRouter}'s semantics.
 *
 * <p>DM keeps three independent rule sets; a table rule carries all three at once. So every
 * block-allow-list entry becomes a rule (a "region"), and where a route or filter covers only part of a
 * region, the intersection becomes an extra, narrower rule. Each region takes the best DM route that
 * contains it whole and the filters whose patterns contain it (unless a larger region already carries
 * them). Extra regions that change nothing are dropped, and the result is checked pairwise: wherever two
 * differently-routed regions may share a table, our specificity order must pick the route DM would pick.
 * Whatever cannot be proven equivalent is rejected rather than approximated.
 */
final class InstanceRules {
    /** A DM route rule used by the instance; {@code order} is its position in {@code route-rules}. */
    record Route(String name, int order, TablePattern pattern, String targetSchema, String targetTable) {
    }

    /** A DM filter rule used by the instance; {@code ruleName} is the binlog_filter_rule it becomes. */
    record Filter(String name, String ruleName, TablePattern pattern) {
    }

    /** DM's choice between two routes matching a table: the more specific, then the one listed first. */
    private static final Comparator<Route> DM_PREFERENCE = Comparator
            .comparing(Route::pattern, TablePattern.SPECIFICITY.reversed())
            .thenComparingInt(Route::order);

    private static final class Region {
        final TablePattern pattern;
        final boolean base;
        Route route;
        List<String> filters = List.of();

        Region(TablePattern pattern, boolean base) {
            this.pattern = pattern;
            this.base = base;
        }
    }

    private final String sourceName;
    private final String where;
    private final List<Route> routes;
    private final List<Filter> filters;
    private final List<Region> regions = new ArrayList<>();

    private InstanceRules(String sourceName, String where, List<Route> routes, List<Filter> filters) {
        this.sourceName = sourceName;
        this.where = where;
        this.routes = routes;
        this.filters = filters;
    }

    /**
     * @param selection what the block-allow-list selects, as a union of patterns
     * @param where     the instance, for messages ({@code mysql-instances[0]})
     */
    static List<TableMigrateRule> build(String sourceName, String where, List<TablePattern> selection,
                                        List<Route> routes, List<Filter> filters) {
        InstanceRules b = new InstanceRules(sourceName, where, routes, filters);
        selection.forEach(p -> b.add(p, true));
        for (TablePattern e : selection) {
            routes.forEach(r -> b.addIntersection(e, r.pattern(), "route '" + r.name() + "'"));
            filters.forEach(f -> b.addIntersection(e, f.pattern(), "filter '" + f.name() + "'"));
        }
        b.assign();
        b.dropRedundantExtras();
        String conflict = b.routingConflict();
        if (conflict != null) {
            throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, "overlapping routes in " + where, conflict);
        }
        return b.regions.stream().map(b::toRule).toList();
    }

    private void add(TablePattern pattern, boolean base) {
        if (regions.stream().noneMatch(r -> r.pattern.equals(pattern))) {
            regions.add(new Region(pattern, base));
        }
    }

    private void addIntersection(TablePattern selected, TablePattern rule, String what) {
        Intersection<TablePattern> i = selected.intersect(rule);
        if (i.state() == Intersection.State.UNKNOWN) {
            throw new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, what + " in " + where,
                    "its patterns " + rule + " overlap the block-allow-list entry " + selected
                            + " in a way that cannot be written as one pattern; use literal names or 'prefix*' wildcards");
        }
        if (i.isKnown()) {
            add(i.value(), false);
        }
    }

    private void assign() {
        for (Region r : regions) {
            r.route = routes.stream().filter(rt -> r.pattern.isWithin(rt.pattern())).min(DM_PREFERENCE).orElse(null);
        }
        assignFilters();
    }

    /** A region carries a filter unless a larger region between it and the filter's patterns already does. */
    private void assignFilters() {
        for (Region r : regions) {
            r.filters = filters.stream()
                    .filter(f -> r.pattern.isWithin(f.pattern()))
                    .filter(f -> regions.stream().noneMatch(y -> y != r && r.pattern.isWithin(y.pattern)
                            && y.pattern.isWithin(f.pattern())))
                    .map(Filter::ruleName)
                    .distinct()
                    .toList();
        }
    }

    private void dropRedundantExtras() {
        for (int i = regions.size() - 1; i >= 0; i--) {
            Region x = regions.get(i);
            if (x.base || !x.filters.isEmpty()) {
                continue;
            }
            boolean routeKept = x.route == null || regions.stream()
                    .anyMatch(y -> y != x && y.route == x.route && x.pattern.isWithin(y.pattern));
            if (routeKept) {
                regions.remove(i);
                if (routingConflict() != null) {
                    regions.add(i, x);
                }
            }
        }
        assignFilters();
    }

    /** Null when our router and DM agree on every table two differently-routed regions may share. */
    private String routingConflict() {
        for (int i = 0; i < regions.size(); i++) {
            for (int j = i + 1; j < regions.size(); j++) {
                Region a = regions.get(i);
                Region b = regions.get(j);
                if (a.route == null || b.route == null || sameTarget(a.route, b.route)
                        || !a.pattern.intersect(b.pattern).mayOverlap()) {
                    continue;
                }
                boolean oursPicksA = TablePattern.SPECIFICITY.compare(a.pattern, b.pattern) >= 0;
                boolean dmPicksA = DM_PREFERENCE.compare(a.route, b.route) < 0;
                if (oursPicksA != dmPicksA) {
                    return "tables matching both " + a.pattern + " and " + b.pattern + " go to route '"
                            + (dmPicksA ? a.route : b.route).name() + "' in DM, but a table rule cannot give that route "
                            + "precedence; make the routes' patterns disjoint or order them from specific to general";
                }
            }
        }
        return null;
    }

    private static boolean sameTarget(Route a, Route b) {
        return Objects.equals(a.targetSchema(), b.targetSchema()) && Objects.equals(a.targetTable(), b.targetTable());
    }

    private TableMigrateRule toRule(Region r) {
        RuleTarget target = r.route == null ? null : new RuleTarget(r.route.targetSchema(), r.route.targetTable());
        return new TableMigrateRule(new RuleSource(sourceName, r.pattern.schema().text(), r.pattern.table().text()),
                target, r.filters.isEmpty() ? null : r.filters);
    }
}
