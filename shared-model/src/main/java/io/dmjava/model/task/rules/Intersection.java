package io.dmjava.model.task.rules;

import java.util.Objects;

/**
 * What two patterns select in common: nothing, something we can write down as one pattern, or
 * something we cannot tell from the pattern text alone (two different regexes, for instance).
 *
 * @param <T> {@link NamePattern} or {@link TablePattern}
 */
public record Intersection<T>(State state, T value) {
    /** The three possible answers. */
    public enum State { EMPTY, UNKNOWN, PATTERN }

    public static <T> Intersection<T> empty() {
        return new Intersection<>(State.EMPTY, null);
    }

    public static <T> Intersection<T> unknown() {
        return new Intersection<>(State.UNKNOWN, null);
    }

    public static <T> Intersection<T> of(T value) {
        return new Intersection<>(State.PATTERN, Objects.requireNonNull(value));
    }

    public boolean isEmpty() {
        return state == State.EMPTY;
    }

    public boolean isKnown() {
        return state == State.PATTERN;
    }

    /** Whether the two inputs may share a name (an unknown answer counts as yes). */
    public boolean mayOverlap() {
        return state != State.EMPTY;
    }

    /**
     * The intersection of two name patterns. Exact for {@code ALL}, literals and equal patterns, and for
     * a {@code prefix*} wildcard against a pattern whose fixed prefix extends it; two patterns whose
     * fixed prefixes diverge share nothing (an anchored regex {@code ~^abc...} has the fixed prefix
     * {@code abc}); everything else is unknown.
     */
    public static Intersection<NamePattern> of(NamePattern a, NamePattern b) {
        if (a.isAll() || a.equals(b)) {
            return of(b);
        }
        if (b.isAll()) {
            return of(a);
        }
        if (a.kind() == NamePattern.Kind.LITERAL) {
            return b.matches(a.text()) ? of(a) : empty();
        }
        if (b.kind() == NamePattern.Kind.LITERAL) {
            return a.matches(b.text()) ? of(b) : empty();
        }
        String pa = a.literalPrefix();
        String pb = b.literalPrefix();
        if (!pa.startsWith(pb) && !pb.startsWith(pa)) {
            return empty();
        }
        if (a.isPrefixWildcard() && pb.startsWith(pa)) {
            return of(b);
        }
        if (b.isPrefixWildcard() && pa.startsWith(pb)) {
            return of(a);
        }
        return unknown();
    }
}
