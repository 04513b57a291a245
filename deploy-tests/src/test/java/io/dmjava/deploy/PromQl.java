package io.dmjava.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects, without a full parser: string literals, label
 * matchers ({@code {...}}), ranges and subqueries ({@code [...]}), numbers and durations are skipped;
 * an identifier followed by {@code (} is a function or aggregation (so is an aggregation followed by
 * {@code by} or {@code without}); the parenthesised lists after
 * {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}
 * are label names; keywords are skipped. Every other identifier is a metric name. Grafana's
 * {@code $variables} outside strings and brackets are skipped too.
 */
final class PromQl {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan", "start", "end");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LIST = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);

    private PromQl() {
    }

    /** Metric names selected by a PromQL expression. */
    static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipGroup(expr, i, '{', '}');
            } else if (c == '[') {
                i = skipGroup(expr, i, '[', ']');
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++; // a comment
                }
            } else if (c == '$') {
                i++;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++; // 0.9, 1e3, 5m, 1h30m, 0x1f
                }
            } else if (isIdentStart(c)) {
                int start = i;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
                String ident = expr.substring(start, i);
                int next = skipSpace(expr, i);
                boolean call = next < n && expr.charAt(next) == '(';
                // "sum by (job) (x)": an aggregation whose grouping comes first
                call |= AGGREGATIONS.contains(ident) && (expr.startsWith("by", next) || expr.startsWith("without", next));
                if (LABEL_LIST.contains(ident)) {
                    if (call) {
                        i = skipGroup(expr, next, '(', ')');
                    }
                } else if (!call && !KEYWORDS.contains(ident.toLowerCase())) {
                    out.add(ident);
                }
            } else {
                i++;
            }
        }
        return out;
    }

    /**
     * Metric names of a Grafana template variable query: {@code label_values(<selector>, <label>)} selects
     * from its selector; {@code label_values(<label>)} selects nothing; other queries are PromQL.
     */
    static Set<String> templateQueryMetricNames(String query) {
        if (query.strip().startsWith("label_values(")) {
            Matcher m = LABEL_VALUES.matcher(query);
            return m.matches() ? metricNames(m.group(1)) : Set.of();
        }
        return metricNames(query);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    /** Index after the group opened at {@code i}, minding strings and nesting. */
    private static int skipGroup(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced " + open + " in: " + s);
    }
}
