package io.dmjava.model.task.rules;

import java.util.Comparator;

/**
 * A schema pattern and a table pattern that together select upstream tables.
 *
 * <p>Specificity ({@link #SPECIFICITY}) follows DM's route rules: a literal table name beats a table
 * wildcard/regex, which beats a rule for whole schemas; between equal table parts a literal schema beats
 * a schema pattern.
 */
public record TablePattern(NamePattern schema, NamePattern table) {
    /** Most specific first when used to sort descending; compares table part, then schema part. */
    public static final Comparator<TablePattern> SPECIFICITY = Comparator
            .comparingInt((TablePattern p) -> p.table.specificity())
            .thenComparingInt(p -> p.schema.specificity());

    /** Parses both parts; see {@link NamePattern#parse}. */
    public static TablePattern parse(String schema, String table) {
        return new TablePattern(NamePattern.parse(schema), NamePattern.parse(table));
    }

    public boolean matches(String schemaName, String tableName) {
        return schema.matches(schemaName) && table.matches(tableName);
    }

    /** Whether this rule selects whole schemas (every table of the matching schemas). */
    public boolean isSchemaLevel() {
        return table.isAll();
    }

    /** The tables both patterns select. */
    public Intersection<TablePattern> intersect(TablePattern other) {
        Intersection<NamePattern> s = Intersection.of(schema, other.schema);
        Intersection<NamePattern> t = Intersection.of(table, other.table);
        if (s.isEmpty() || t.isEmpty()) {
            return Intersection.empty();
        }
        if (!s.isKnown() || !t.isKnown()) {
            return Intersection.unknown();
        }
        return Intersection.of(new TablePattern(s.value(), t.value()));
    }

    /** Whether every table this pattern selects is provably selected by {@code other} too. */
    public boolean isWithin(TablePattern other) {
        Intersection<TablePattern> i = intersect(other);
        return i.isKnown() && i.value().equals(this);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
