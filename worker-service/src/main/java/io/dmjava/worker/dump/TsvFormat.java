package io.dmjava.worker.dump;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

    /** Reads eight bytes of an array as one long, for {@link #cleanPrefix}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

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

    /**
     * The length of the run of bytes from {@code from} that need no escape: the common case is a whole value,
     * copied in one go. Eight bytes at a time: every byte that needs an escape is below 27 or a backslash, so
     * a word without such a byte is skipped whole (a word with one is then looked at byte by byte). This runs
     * over every byte the dump writes, and workers run with the quick JIT only, which does not vectorise.
     */
    static int cleanPrefix(byte[] value, int from) {
        int i = from;
        int n = value.length;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONGS.get(value, i);
            if ((hasByteBelow27(x) | hasBackslash(x)) != 0) {
                break;
            }
        }
        while (i < n && ESCAPES[value[i] & 0xFF] == 0) {
            i++;
        }
        return i - from;
    }

    /** Non-zero when some byte of {@code x} is below 27 (the classic "has less than n" bit trick; n <= 128). */
    private static long hasByteBelow27(long x) {
        return (x - ONES * 27) & ~x & HIGHS;
    }

    /** Non-zero when some byte of {@code x} is a backslash (the "has zero byte" trick on x XOR backslashes). */
    private static long hasBackslash(long x) {
        long y = x ^ (ONES * '\\');
        return (y - ONES) & ~y & HIGHS;
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
