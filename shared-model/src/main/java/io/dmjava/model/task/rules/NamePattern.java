package io.dmjava.model.task.rules;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One schema or table pattern of a table rule, in DM's syntax:
 * <ul>
 *   <li>absent, empty or {@code *}: every name ({@link Kind#ALL});</li>
 *   <li>{@code ~regex}: a Java regular expression that must be <em>found</em> in the name, as DM's Go
 *       {@code regexp.MatchString} does for its block-allow-list (so {@code ~^test} selects every name
 *       starting with {@code test}; anchor with {@code ^...$} for a whole-name match);</li>
 *   <li>a wildcard: {@code *} any sequence, {@code ?} exactly one character, {@code [abc]}, {@code [a-z]},
 *       {@code [!a-z]} or {@code [^a-z]} one character of (not of) a class, matched against the whole name;</li>
 *   <li>anything else: the literal name ({@link Kind#LITERAL}).</li>
 * </ul>
 * Matching is case-sensitive, like MySQL on Linux with the default {@code lower_case_table_names=0}
 * (DM lowercases both sides unless {@code case-sensitive: true}; we never guess a case folding). There is
 * no escape character: a backslash, dot, space or backtick is an ordinary character of the name.
 */
public final class NamePattern {
    /** How a pattern matches, from least to most specific. */
    public enum Kind { ALL, REGEX, WILDCARD, LITERAL }

    /** The pattern that matches every name. */
    public static final NamePattern ALL = new NamePattern(Kind.ALL, "*", null);

    private final Kind kind;
    private final String text;
    private final Pattern regex;

    private NamePattern(Kind kind, String text, Pattern regex) {
        this.kind = kind;
        this.text = text;
        this.regex = regex;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException with the compiler's explanation when a {@code ~} regex does not
     *                                  compile or a wildcard has an unclosed or invalid {@code [} class
     */
    public static NamePattern parse(String text) {
        if (text == null || text.isEmpty() || text.equals("*")) {
            return ALL;
        }
        try {
            if (text.startsWith("~")) {
                return new NamePattern(Kind.REGEX, text, Pattern.compile(text.substring(1)));
            }
            if (Wildcards.hasWildcard(text)) {
                return new NamePattern(Kind.WILDCARD, text, Pattern.compile(Wildcards.toRegex(text), Pattern.DOTALL));
            }
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
        }
        return new NamePattern(Kind.LITERAL, text, null);
    }

    /** Whether a name may contain the characters that make it a pattern (for targets, which must be plain names). */
    public static boolean looksLikePattern(String name) {
        return name != null && (name.startsWith("~") || Wildcards.hasWildcard(name));
    }

    public boolean matches(String name) {
        return switch (kind) {
            case ALL -> true;
            case LITERAL -> text.equals(name);
            case WILDCARD -> regex.matcher(name).matches();
            case REGEX -> regex.matcher(name).find();
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The pattern as written ({@code *} for {@link #ALL}). */
    public String text() {
        return text;
    }

    /** 0 for every name, 1 for a wildcard or regex, 2 for a literal name: how narrowly the pattern selects. */
    public int specificity() {
        return switch (kind) {
            case ALL -> 0;
            case REGEX, WILDCARD -> 1;
            case LITERAL -> 2;
        };
    }

    public boolean isAll() {
        return kind == Kind.ALL;
    }

    /**
     * Characters every matching name starts with. For a regex this is only known when it is anchored
     * ({@code ~^shard_[0-9]+}) and has no alternation; otherwise it is empty (nothing known).
     */
    String literalPrefix() {
        return switch (kind) {
            case ALL -> "";
            case LITERAL -> text;
            case WILDCARD -> text.substring(0, Wildcards.firstSpecial(text));
            case REGEX -> anchoredRegexPrefix(text.substring(1));
        };
    }

    private static String anchoredRegexPrefix(String regex) {
        if (!regex.startsWith("^") || regex.contains("|")) {
            return "";
        }
        int end = 1;
        while (end < regex.length() && "\\^$.|?*+()[]{}".indexOf(regex.charAt(end)) < 0) {
            end++;
        }
        // A quantifier after the run makes its last character optional or repeatable: not part of the prefix.
        boolean quantified = end < regex.length() && "?*{".indexOf(regex.charAt(end)) >= 0;
        return regex.substring(1, quantified ? Math.max(1, end - 1) : end);
    }

    /** A wildcard of the form {@code prefix*}: it matches exactly the names starting with the prefix. */
    boolean isPrefixWildcard() {
        return kind == Kind.WILDCARD && text.endsWith("*") && Wildcards.firstSpecial(text) == text.length() - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern p && p.kind == kind && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text);
    }

    @Override
    public String toString() {
        return text;
    }
}
