package io.dmjava.worker.dump;

import java.io.ByteArrayOutputStream;

/**
 * The chunk file format: the text form MySQL's {@code LOAD DATA ... CHARACTER SET binary FIELDS TERMINATED
 * BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'} reads, byte for byte.
 * <ul>
 *   <li>Fields are the column values as the server prints them (numbers, dates) or their stored bytes in
 *       the column's own character set (strings, binaries, BIT), never transcoded.</li>
 *   <li>NULL is {@code \N}; in a value, NUL, TAB, LF, CR, backslash and Ctrl-Z are written as {@code \0 \t \n
 *       \r \\ \Z}. Every other byte is written as it is, so an empty string stays distinct from NULL.</li>
 * </ul>
 */
public final class TsvFormat {
    public static final byte FIELD_SEPARATOR = '\t';
    public static final byte LINE_SEPARATOR = '\n';
    public static final byte ESCAPE = '\\';
    public static final byte[] NULL = {'\\', 'N'};
    /** The LOAD DATA clauses matching this format. */
    public static final String LOAD_DATA_FORMAT = "CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
            + " LINES TERMINATED BY '\\n' STARTING BY ''";

    /** What each byte is escaped to (the letter after the backslash), or 0 when it is written as is. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        ESCAPES[0] = '0';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\\'] = '\\';
        ESCAPES[26] = 'Z';
    }

    private TsvFormat() {
    }

    /** The escape letter for {@code b}, or 0 when {@code b} needs no escape. */
    static byte escapeOf(byte b) {
        return ESCAPES[b & 0xFF];
    }

    /** The byte an escape letter stands for ({@code \x} for an unknown x is x itself, as in LOAD DATA). */
    public static byte unescape(byte letter) {
        return switch (letter) {
            case '0' -> 0;
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'Z' -> 26;
            default -> letter;
        };
    }

    /** One value encoded as a field (for tests and small writers); {@code null} gives {@code \N}. */
    public static byte[] encodeField(byte[] value) {
        if (value == null) {
            return NULL.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 8);
        for (byte b : value) {
            byte e = escapeOf(b);
            if (e != 0) {
                out.write(ESCAPE);
                out.write(e);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
