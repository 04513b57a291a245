package io.dmjava.worker.sync.ddl;

import io.dmjava.worker.sync.ddl.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits MySQL/MariaDB statement text into {@link Token}s, skipping white space and comments.
 *
 * <p>Executable comments ({@code /*! ... *}{@code /}, {@code /*!50100 ... *}{@code /},
 * {@code /*M!100100 ... *}{@code /}) are read as code whatever their version: the server that wrote
 * the binlog executed them, so the names inside are real references. Strings accept both backslash
 * escapes and doubled quotes, so a statement logged under NO_BACKSLASH_ESCAPES with a trailing backslash
 * in a string literal is the one case read wrongly.
 */
public final class SqlTokenizer {
    private static final int MAX_VERSION_DIGITS = 6;

    private SqlTokenizer() {
    }

    public static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        boolean inExecutableComment = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (inExecutableComment && c == '*' && at(sql, i + 1) == '/') {
                inExecutableComment = false;
                i += 2;
            } else if (c == '/' && at(sql, i + 1) == '*') {
                int body = executableBody(sql, i);
                if (body >= 0 && !inExecutableComment) {
                    inExecutableComment = true;
                    i = body;
                } else {
                    int close = sql.indexOf("*/", i + 2);
                    i = close < 0 ? n : close + 2;
                }
            } else if (c == '#' || (c == '-' && at(sql, i + 1) == '-' && isLineCommentStart(at(sql, i + 2)))) {
                i = lineEnd(sql, i, inExecutableComment);
            } else if (c == '`' || c == '\'' || c == '"') {
                i = quoted(sql, i, c, tokens);
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Type.WORD, start, i, sql.substring(start, i)));
            } else {
                tokens.add(new Token(Type.SYMBOL, i, i + 1, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    /** Where the code of an executable comment starting at {@code i} begins, or -1 for a plain comment. */
    private static int executableBody(String sql, int i) {
        int j;
        if (at(sql, i + 2) == '!') {
            j = i + 3;
        } else if (at(sql, i + 2) == 'M' && at(sql, i + 3) == '!') {
            j = i + 4;
        } else {
            return -1;
        }
        int digits = 0;
        while (digits < MAX_VERSION_DIGITS && Character.isDigit(at(sql, j))) {
            j++;
            digits++;
        }
        return j;
    }

    /**
     * The end of a line comment. Inside an executable comment the line comment cannot swallow the
     * closing marker: the server ends the executable part there too.
     */
    private static int lineEnd(String sql, int i, boolean inExecutableComment) {
        int n = sql.length();
        while (i < n && sql.charAt(i) != '\n') {
            if (inExecutableComment && sql.startsWith("*/", i)) {
                return i;
            }
            i++;
        }
        return i;
    }

    private static int quoted(String sql, int i, char quote, List<Token> tokens) {
        int n = sql.length();
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == quote) {
                if (at(sql, j + 1) == quote) {
                    value.append(quote);
                    j += 2;
                    continue;
                }
                j++;
                break;
            }
            if (c == '\\' && quote != '`' && j + 1 < n) {
                value.append(unescape(sql.charAt(j + 1)));
                j += 2;
                continue;
            }
            value.append(c);
            j++;
        }
        Type type = quote == '`' ? Type.QUOTED_IDENTIFIER : quote == '\'' ? Type.STRING : Type.DOUBLE_QUOTED;
        tokens.add(new Token(type, i, j, value.toString()));
        return j;
    }

    private static String unescape(char c) {
        return switch (c) {
            case '0' -> "\0";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'b' -> "\b";
            case 'Z' -> "\u001a";
            // \% and \_ keep their backslash: they are LIKE-pattern escapes, not string escapes
            case '%', '_' -> "\\" + c;
            default -> String.valueOf(c);
        };
    }

    private static boolean isLineCommentStart(char c) {
        return c == 0 || c <= ' ';
    }

    private static boolean isSpace(char c) {
        return c <= ' ' || Character.isWhitespace(c) || c == '\u00a0';
    }

    /** Unquoted identifier characters: ASCII letters, digits, '$', '_' and anything beyond ASCII. */
    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || (c >= 0x80 && !Character.isWhitespace(c) && c != '\u00a0');
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }
}
