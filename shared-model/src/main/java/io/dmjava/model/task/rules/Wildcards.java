package io.dmjava.model.task.rules;

import java.util.regex.PatternSyntaxException;

/** Translation of DM's wildcard syntax ({@code *}, {@code ?}, {@code [...]}) to a Java regular expression. */
final class Wildcards {
    private Wildcards() {
    }

    static boolean hasWildcard(String text) {
        return firstSpecial(text) < text.length();
    }

    /** Index of the first {@code *}, {@code ?} or {@code [}, or the length when there is none. */
    static int firstSpecial(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[') {
                return i;
            }
        }
        return text.length();
    }

    /**
     * The regex matching exactly what the wildcard matches. Every other character is quoted one by one
     * (rather than with {@code \Q..\E}) so that names containing {@code \E} stay literal too.
     */
    static String toRegex(String wildcard) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < wildcard.length()) {
            int cp = wildcard.codePointAt(i);
            if (cp == '*') {
                out.append(".*");
            } else if (cp == '?') {
                out.append('.');
            } else if (cp == '[') {
                i = appendClass(wildcard, i, out);
                continue;
            } else {
                appendQuoted(cp, out);
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** Appends the class starting at {@code start} (a '['); returns the index after its closing ']'. */
    private static int appendClass(String text, int start, StringBuilder out) {
        int i = start + 1;
        out.append('[');
        if (i < text.length() && (text.charAt(i) == '!' || text.charAt(i) == '^')) {
            out.append('^');
            i++;
        }
        boolean first = true;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            // A ']' right after '[' or '[!' is a member, as in shell globs; any later one closes the class.
            if (cp == ']' && !first) {
                out.append(']');
                return i + 1;
            }
            boolean isRangeDash = cp == '-' && !first && i + 1 < text.length() && text.charAt(i + 1) != ']';
            if (isRangeDash) {
                out.append('-');
            } else {
                appendQuoted(cp, out);
            }
            first = false;
            i += Character.charCount(cp);
        }
        throw new PatternSyntaxException("unclosed character class '['", text, start);
    }

    private static void appendQuoted(int cp, StringBuilder out) {
        // A backslash before a non-letter is always a literal in Java regex; letters and digits
        // (of any script) need no quoting and must not get one (\d, \p... have meanings).
        if (!Character.isLetterOrDigit(cp)) {
            out.append('\\');
        }
        out.appendCodePoint(cp);
    }
}
