package io.dmjava.worker.sync.ddl;

/**
 * One lexical token of a statement; comments and white space are not tokens.
 *
 * @param type  what kind of token
 * @param start offset of the first character in the statement text
 * @param end   offset after the last character
 * @param text  for words and symbols the text as written; for quoted identifiers and strings the value
 *              between the quotes with escapes resolved
 */
public record Token(Type type, int start, int end, String text) {
    /** Token kinds, only as fine as name extraction needs. */
    public enum Type {
        /** An unquoted word: keyword, identifier or number. */
        WORD,
        /** A {@code `backtick quoted`} identifier. */
        QUOTED_IDENTIFIER,
        /** A {@code 'single quoted'} string. */
        STRING,
        /** A {@code "double quoted"} string, or an identifier under ANSI_QUOTES. */
        DOUBLE_QUOTED,
        /** Any other single character: punctuation and operators. */
        SYMBOL
    }

    /** Whether this is the unquoted keyword {@code keyword} (case-insensitive); quoted text never is. */
    public boolean isWord(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    public boolean isSymbol(char c) {
        return type == Type.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    /**
     * Whether the token can name a database or table. Double-quoted text counts because a server in
     * ANSI_QUOTES mode logs names that way; in any other mode such a statement would not have run.
     */
    public boolean isIdentifier() {
        return type == Type.WORD || type == Type.QUOTED_IDENTIFIER || type == Type.DOUBLE_QUOTED;
    }
}
