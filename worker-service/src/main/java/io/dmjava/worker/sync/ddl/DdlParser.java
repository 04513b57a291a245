package io.dmjava.worker.sync.ddl;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.sync.ddl.NameRef.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Classifies a statement of a binlog QUERY event and finds the database and table names in it.
 *
 * <p>This is not a grammar: it recognises the leading keywords of each statement kind replication
 * cares about and reads names at the positions MySQL and MariaDB put them. Everything else in the
 * statement (column definitions, options, partitions, comments) is only tokenized, so that names inside
 * strings or comments are never mistaken for references, and is otherwise left alone.
 */
public final class DdlParser {
    private static final int SQL_IN_MESSAGE = 200;

    private static final Set<String> OTHER_DDL_LEADERS = Set.of("GRANT", "REVOKE", "ANALYZE", "OPTIMIZE", "REPAIR",
            "FLUSH", "INSTALL", "UNINSTALL", "CHECK", "CHECKSUM", "IMPORT", "CACHE", "RESET", "PURGE");

    /** Words that start an ALTER DATABASE option, so that the statement names no database. */
    private static final Set<String> DATABASE_OPTION_WORDS = Set.of("DEFAULT", "CHARACTER", "CHARSET", "COLLATE",
            "ENCRYPTION", "READ", "COMMENT");

    private static final Set<String> NOT_TABLE_RENAMES = Set.of("COLUMN", "INDEX", "KEY", "CONSTRAINT");

    private DdlParser() {
    }

    /**
     * Parses one statement.
     *
     * @param currentSchema the default database of the session that ran it (the QUERY event's schema),
     *                      or null/empty when there was none
     * @param sql           the statement text
     * @throws DmException {@link ErrorCode#SYNC_DDL_UNPARSABLE} when a statement recognised as table or
     *                     database DDL names no readable table or database
     */
    public static ParsedDdl parse(String currentSchema, String sql) {
        return new Parse(currentSchema, sql).run();
    }

    /** The state of parsing one statement. */
    private static final class Parse {
        private final String currentSchema;
        private final String sql;
        private final List<Token> tokens;
        private final List<NameRef> refs = new ArrayList<>();
        private int pos;
        private boolean ifExists;
        private boolean ifNotExists;
        private boolean orReplace;

        Parse(String currentSchema, String sql) {
            this.currentSchema = currentSchema == null || currentSchema.isEmpty() ? null : currentSchema;
            this.sql = sql;
            this.tokens = SqlTokenizer.tokenize(sql);
        }

        ParsedDdl run() {
            if (tokens.isEmpty() || tokens.get(0).type() != Token.Type.WORD) {
                return result(DdlKind.NOT_DDL);
            }
            pos = 1;
            String leader = tokens.get(0).text().toUpperCase(Locale.ROOT);
            return switch (leader) {
                case "CREATE" -> result(create());
                case "DROP" -> result(drop());
                case "ALTER" -> result(alter());
                case "RENAME" -> result(rename());
                case "TRUNCATE" -> result(truncate());
                default -> result(OTHER_DDL_LEADERS.contains(leader) ? DdlKind.OTHER_DDL : DdlKind.NOT_DDL);
            };
        }

        private ParsedDdl result(DdlKind kind) {
            if (!kind.isReplicated() && kind != DdlKind.CREATE_TABLE_SELECT) {
                refs.clear();
            }
            refs.sort(Comparator.comparingInt(NameRef::start));
            return new ParsedDdl(sql, currentSchema, kind, ifExists, ifNotExists, orReplace, refs);
        }

        private DdlKind create() {
            orReplace = acceptAll("OR", "REPLACE");
            if (acceptAny("DATABASE", "SCHEMA")) {
                ifNotExists = acceptAll("IF", "NOT", "EXISTS");
                schemaName();
                return DdlKind.CREATE_DATABASE;
            }
            if (acceptAny("TABLE")) {
                return createTable();
            }
            acceptAny("ONLINE", "OFFLINE");
            acceptAny("UNIQUE", "FULLTEXT", "SPATIAL");
            if (acceptAny("INDEX")) {
                ifNotExists = acceptAll("IF", "NOT", "EXISTS");
                tableAfterOn();
                return DdlKind.CREATE_INDEX;
            }
            // TEMPORARY TABLE, VIEW, TRIGGER, DEFINER=..., USER, SEQUENCE, ...
            return DdlKind.OTHER_DDL;
        }

        private DdlKind createTable() {
            ifNotExists = acceptAll("IF", "NOT", "EXISTS");
            NameRef table = tableName(Role.TABLE, currentSchema);
            if (acceptAny("LIKE")) {
                tableName(Role.LIKE_SOURCE, currentSchema);
                return DdlKind.CREATE_TABLE_LIKE;
            }
            if (symbolAt(pos, '(') && wordAt(pos + 1, "LIKE")) {
                pos += 2;
                tableName(Role.LIKE_SOURCE, currentSchema);
                return DdlKind.CREATE_TABLE_LIKE;
            }
            boolean select = isCreateSelect();
            references(table.schema());
            return select ? DdlKind.CREATE_TABLE_SELECT : DdlKind.CREATE_TABLE;
        }

        /** A SELECT (or AS) outside the column definitions, or a parenthesised query in their place. */
        private boolean isCreateSelect() {
            int depth = 0;
            for (int i = pos; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.isSymbol('(')) {
                    if (depth == 0 && (wordAt(i + 1, "SELECT") || wordAt(i + 1, "WITH"))) {
                        return true;
                    }
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (depth == 0 && (t.isWord("SELECT") || t.isWord("AS"))) {
                    return true;
                }
            }
            return false;
        }

        private DdlKind drop() {
            if (acceptAny("DATABASE", "SCHEMA")) {
                ifExists = acceptAll("IF", "EXISTS");
                schemaName();
                return DdlKind.DROP_DATABASE;
            }
            if (acceptAny("TABLE", "TABLES")) {
                ifExists = acceptAll("IF", "EXISTS");
                do {
                    tableName(Role.TABLE, currentSchema);
                } while (acceptSymbol(','));
                return DdlKind.DROP_TABLE;
            }
            acceptAny("ONLINE", "OFFLINE");
            if (acceptAny("INDEX")) {
                ifExists = acceptAll("IF", "EXISTS");
                tableAfterOn();
                return DdlKind.DROP_INDEX;
            }
            return DdlKind.OTHER_DDL;
        }

        private DdlKind alter() {
            acceptAny("ONLINE", "OFFLINE");
            acceptAny("IGNORE");
            if (acceptAny("TABLE")) {
                alterTable();
                return DdlKind.ALTER_TABLE;
            }
            if (acceptAny("DATABASE", "SCHEMA")) {
                Token next = pos < tokens.size() ? tokens.get(pos) : null;
                boolean named = next != null && next.isIdentifier() && !(next.type() == Token.Type.WORD
                        && DATABASE_OPTION_WORDS.contains(next.text().toUpperCase(Locale.ROOT)));
                if (named) {
                    schemaName();
                } else {
                    if (currentSchema == null) {
                        throw unparsable("ALTER DATABASE names no database and the session had none");
                    }
                    int at = tokens.get(pos - 1).end();
                    refs.add(new NameRef(Role.SCHEMA, currentSchema, null, at, at));
                }
                return DdlKind.ALTER_DATABASE;
            }
            return DdlKind.OTHER_DDL;
        }

        private void alterTable() {
            ifExists = acceptAll("IF", "EXISTS");
            NameRef table = tableName(Role.TABLE, currentSchema);
            if (!acceptAny("NOWAIT") && acceptAny("WAIT")) {
                pos++;
            }
            int firstSpec = pos;
            int depth = 0;
            for (int i = firstSpec; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                }
                boolean specStart = depth == 0 && (i == firstSpec || tokens.get(i - 1).isSymbol(','));
                if (!specStart) {
                    continue;
                }
                if (t.isWord("RENAME") && !(i + 1 < tokens.size() && tokens.get(i + 1).type() == Token.Type.WORD
                        && NOT_TABLE_RENAMES.contains(tokens.get(i + 1).text().toUpperCase(Locale.ROOT)))) {
                    pos = i + 1;
                    acceptAny("TO", "AS");
                    tableName(Role.NEW_NAME, currentSchema);
                } else if (t.isWord("EXCHANGE")) {
                    exchangedTable(i);
                }
            }
            pos = firstSpec;
            references(table.schema());
        }

        /** {@code EXCHANGE PARTITION p WITH TABLE other}: the other table is a reference too. */
        private void exchangedTable(int exchange) {
            for (int i = exchange + 1; i + 1 < tokens.size() && !tokens.get(i).isSymbol(','); i++) {
                if (tokens.get(i).isWord("WITH") && tokens.get(i + 1).isWord("TABLE")) {
                    pos = i + 2;
                    tableName(Role.REFERENCED, currentSchema);
                    return;
                }
            }
        }

        private DdlKind rename() {
            if (!acceptAny("TABLE", "TABLES")) {
                return DdlKind.OTHER_DDL;
            }
            ifExists = acceptAll("IF", "EXISTS");
            do {
                tableName(Role.TABLE, currentSchema);
                while (pos < tokens.size() && !tokens.get(pos).isWord("TO")) {
                    pos++; // MariaDB's WAIT n / NOWAIT
                }
                if (!acceptAny("TO")) {
                    throw unparsable("RENAME TABLE without TO");
                }
                tableName(Role.NEW_NAME, currentSchema);
            } while (acceptSymbol(','));
            return DdlKind.RENAME_TABLE;
        }

        private DdlKind truncate() {
            acceptAny("TABLE");
            tableName(Role.TABLE, currentSchema);
            return DdlKind.TRUNCATE_TABLE;
        }

        /** The table of CREATE/DROP INDEX: the name after the first ON outside parentheses. */
        private void tableAfterOn() {
            int depth = 0;
            for (int i = pos; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (depth == 0 && t.isWord("ON")) {
                    pos = i + 1;
                    tableName(Role.TABLE, currentSchema);
                    return;
                }
            }
            throw unparsable("no ON <table> in an index statement");
        }

        /**
         * Every FOREIGN KEY parent after the current position. An unqualified parent lives in the child
         * table's database (InnoDB resolves it so, whatever the session's default database).
         */
        private void references(String childSchema) {
            for (int i = pos; i < tokens.size(); i++) {
                if (tokens.get(i).isWord("REFERENCES")) {
                    pos = i + 1;
                    tableName(Role.REFERENCED, childSchema);
                    i = pos - 1;
                }
            }
        }

        private void schemaName() {
            Token t = pos < tokens.size() ? tokens.get(pos) : null;
            if (t == null || !t.isIdentifier()) {
                throw unparsable("no database name where one was expected");
            }
            refs.add(new NameRef(Role.SCHEMA, t.text(), null, t.start(), t.end()));
            pos++;
        }

        /** Reads {@code name} or {@code schema.name} at the current position. */
        private NameRef tableName(Role role, String defaultSchema) {
            Token first = pos < tokens.size() ? tokens.get(pos) : null;
            if (first == null || !first.isIdentifier()) {
                throw unparsable("no table name where one was expected");
            }
            NameRef ref;
            if (symbolAt(pos + 1, '.') && pos + 2 < tokens.size() && tokens.get(pos + 2).isIdentifier()) {
                Token second = tokens.get(pos + 2);
                ref = new NameRef(role, first.text(), second.text(), first.start(), second.end());
                pos += 3;
            } else {
                if (defaultSchema == null) {
                    throw unparsable("table " + first.text() + " is not qualified and the session had no database");
                }
                ref = new NameRef(role, defaultSchema, first.text(), first.start(), first.end());
                pos++;
            }
            refs.add(ref);
            return ref;
        }

        private boolean acceptAny(String... words) {
            if (pos < tokens.size()) {
                for (String w : words) {
                    if (tokens.get(pos).isWord(w)) {
                        pos++;
                        return true;
                    }
                }
            }
            return false;
        }

        /** Consumes the words only if all of them follow, in order. */
        private boolean acceptAll(String... words) {
            for (int k = 0; k < words.length; k++) {
                if (!wordAt(pos + k, words[k])) {
                    return false;
                }
            }
            pos += words.length;
            return true;
        }

        private boolean acceptSymbol(char c) {
            if (symbolAt(pos, c)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean wordAt(int i, String word) {
            return i < tokens.size() && tokens.get(i).isWord(word);
        }

        private boolean symbolAt(int i, char c) {
            return i < tokens.size() && tokens.get(i).isSymbol(c);
        }

        private DmException unparsable(String reason) {
            String shown = sql.length() > SQL_IN_MESSAGE ? sql.substring(0, SQL_IN_MESSAGE) + "..." : sql;
            return new DmException(ErrorCode.SYNC_DDL_UNPARSABLE, shown, reason);
        }
    }
}
