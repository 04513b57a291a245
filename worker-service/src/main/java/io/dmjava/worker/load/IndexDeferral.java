package io.dmjava.worker.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code SHOW CREATE TABLE} split into the table without its plain secondary indexes and those indexes, so
 * the load fills the table through its primary key alone and InnoDB then builds each secondary index by
 * sorting ({@code ALTER TABLE ... ADD KEY}), far cheaper than maintaining it row by row in random order.
 *
 * <p>Deferred: non-unique BTREE/HASH and SPATIAL keys. Kept in the table: PRIMARY and UNIQUE keys (duplicate
 * handling needs them), FULLTEXT keys (InnoDB adds only one at a time, rebuilding the table for the first),
 * and any plain key at or before one that must stay (a key leading with the AUTO_INCREMENT column, which
 * InnoDB requires). Keys added later land after the kept ones of their kind, which is where the server's
 * key order puts them in the original definition too, so SHOW CREATE TABLE ends identical. Tables that are
 * not InnoDB, have foreign keys (InnoDB would create an index of its own for them), are system-versioned or
 * whose statement does not have the expected one-definition-per-line shape defer nothing.
 *
 * @param createTable the statement creating the table without the deferred keys (the input when none)
 * @param deferred    the deferred keys, in their original order
 */
record IndexDeferral(String createTable, List<DeferredIndex> deferred) {
    IndexDeferral {
        deferred = List.copyOf(deferred);
    }

    /** One deferred key: its name and its definition as SHOW CREATE TABLE prints it, e.g. {@code KEY `k` (`k`)}. */
    record DeferredIndex(String name, String definition) {
    }

    static IndexDeferral none(String createTable) {
        return new IndexDeferral(createTable, List.of());
    }

    static IndexDeferral of(String showCreate) {
        String[] lines = showCreate.split("\n", -1);
        if (lines.length < 3 || !lines[0].endsWith(" (")) {
            return none(showCreate);
        }
        int end = 1;
        while (end < lines.length && lines[end].startsWith("  ")) {
            end++;
        }
        if (end == 1 || end == lines.length || !lines[end].startsWith(")")) {
            return none(showCreate);
        }
        String options = String.join("\n", List.of(lines).subList(end, lines.length));
        String upperOptions = options.toUpperCase(Locale.ROOT);
        if (!upperOptions.contains("ENGINE=INNODB") || upperOptions.contains("WITH SYSTEM VERSIONING")) {
            return none(showCreate);
        }
        List<String> definitions = new ArrayList<>();
        for (int i = 1; i < end; i++) {
            String line = lines[i].substring(2);
            boolean last = i == end - 1;
            if (last == line.endsWith(",")) {
                return none(showCreate); // a definition spanning lines: not a shape this parser vouches for
            }
            definitions.add(last ? line : line.substring(0, line.length() - 1));
        }
        Set<String> autoIncrement = new HashSet<>();
        for (String d : definitions) {
            if (d.startsWith("CONSTRAINT ") && d.contains(" FOREIGN KEY ")) {
                return none(showCreate);
            }
            if (d.startsWith("`") && d.contains(" AUTO_INCREMENT")) {
                autoIncrement.add(identifierAt(d, 0));
            }
        }
        // Only the plain keys after the last one that must stay are deferred, so the key order is preserved.
        int firstDeferrable = 0;
        for (int i = 0; i < definitions.size(); i++) {
            String d = definitions.get(i);
            if (isPlainKey(d) && autoIncrement.contains(firstKeyColumn(d))) {
                firstDeferrable = i + 1;
            }
        }
        List<String> kept = new ArrayList<>();
        List<DeferredIndex> deferred = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            String d = definitions.get(i);
            if (i >= firstDeferrable && isPlainKey(d) && keyName(d) != null) {
                deferred.add(new DeferredIndex(keyName(d), d));
            } else {
                kept.add(d);
            }
        }
        if (deferred.isEmpty()) {
            return none(showCreate);
        }
        return new IndexDeferral(lines[0] + "\n  " + String.join(",\n  ", kept) + "\n" + options, deferred);
    }

    /** The ADD clauses of an ALTER TABLE creating {@code indexes}. */
    static String addClauses(List<DeferredIndex> indexes) {
        return String.join(", ", indexes.stream().map(i -> "ADD " + i.definition()).toList());
    }

    private static boolean isPlainKey(String definition) {
        return definition.startsWith("KEY `") || definition.startsWith("SPATIAL KEY `");
    }

    /** The key's name: the identifier after {@code KEY }. */
    static String keyName(String definition) {
        int at = definition.indexOf("KEY `");
        return at < 0 ? null : identifierAt(definition, at + 4);
    }

    /** The first column of a key ({@code KEY `name` (`col`...}), or null for an expression or anything unexpected. */
    private static String firstKeyColumn(String definition) {
        int nameEnd = identifierEnd(definition, definition.indexOf("KEY `") + 4);
        if (nameEnd < 0 || !definition.startsWith(" (`", nameEnd)) {
            return null;
        }
        return identifierAt(definition, nameEnd + 2);
    }

    /** The backtick-quoted identifier starting at {@code at} (doubled backticks inside), or null. */
    static String identifierAt(String s, int at) {
        int end = identifierEnd(s, at);
        return end < 0 ? null : s.substring(at + 1, end - 1).replace("``", "`");
    }

    /** The index just past the closing backtick of the identifier starting at {@code at}, or -1. */
    private static int identifierEnd(String s, int at) {
        if (at < 0 || at >= s.length() || s.charAt(at) != '`') {
            return -1;
        }
        for (int i = at + 1; i < s.length(); i++) {
            if (s.charAt(i) == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return -1;
    }
}
