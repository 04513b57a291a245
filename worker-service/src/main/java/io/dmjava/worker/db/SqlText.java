package io.dmjava.worker.db;

import java.nio.charset.StandardCharsets;

/** Building blocks for SQL text: string literals with every byte escaped, identifiers quoted. */
public final class SqlText {
    private SqlText() {
    }

    /** {@code 'text'} with quotes and backslashes escaped (the session must not use NO_BACKSLASH_ESCAPES). */
    public static String literal(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\'' -> sb.append("\\'");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case 26 -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** {@code `name`} with backticks doubled. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** Identifiers joined by commas, each quoted. */
    public static String quoteAll(Iterable<String> identifiers) {
        StringBuilder sb = new StringBuilder();
        for (String id : identifiers) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(quote(id));
        }
        return sb.toString();
    }

    /** Hex digits of a byte array, for messages about binary keys. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** A file-name-safe rendering of a name: ASCII letters, digits, '-', '_'; others become '_'. */
    public static String fileSafe(String name, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            sb.append(ok ? c : '_');
            if (sb.length() >= maxLength) {
                break;
            }
        }
        return sb.toString();
    }
}
