package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;

/**
 * Decodes the binlog cells whose stock decoding loses information, into values that keep every bit.
 *
 * <p>The library's own modes were checked against its source (0.30.1, AbstractRowsEventDataDeserializer):
 * {@code DATE_AND_TIME_AS_LONG_MICRO} turns DATE/DATETIME into epoch micros through a calendar, so a date
 * with a zero month or day ({@code 2024-00-15}) collapses into the "invalid" marker, an ALLOW_INVALID_DATES
 * date ({@code 2024-02-30}) silently becomes March 1st, and dates before 1582 go through the Julian calendar;
 * TIME2 ignores the sign bit (negative TIME comes out wrong) and any TIME over 24 h is folded into a date;
 * {@code INVALID_DATE_AND_TIME_AS_NEGATIVE_ONE} only chooses the marker of the collapse; YEAR 0000 comes out
 * as 1900. So these cells are decoded here, following MySQL's {@code my_time.cc} packing:
 * <ul>
 *   <li>DATE: {@code "YYYY-MM-DD"} text, zero and invalid dates included</li>
 *   <li>DATETIME: {@code "YYYY-MM-DD hh:mm:ss[.f]"} with exactly the column's fractional digits</li>
 *   <li>TIME: {@code "[-]hh:mm:ss[.f]"}, hours up to 838, negative values included</li>
 *   <li>TIMESTAMP: an {@link Instant} (it is a point in time; {@link Instant#EPOCH} is the zero timestamp)</li>
 *   <li>YEAR: an Integer, 0 for YEAR 0000</li>
 *   <li>CHAR/VARCHAR/BINARY/VARBINARY: the raw bytes, whatever the character set (that mode,
 *       {@code CHAR_AND_BINARY_AS_BYTE_ARRAY}, is what the library does right)</li>
 * </ul>
 * Every other type keeps the library's exact decoding: signed Integer/Long (widened for unsigned columns by
 * {@link ValueConverter}), Float, Double, BigDecimal, BitSet, Integer ENUM index, Long SET bitmask, byte[]
 * for BLOB/TEXT/JSON/GEOMETRY.
 */
final class ExactCells {
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;

    private ExactCells() {
    }

    /**
     * The exact value of a cell of {@code type}, or {@link #NOT_HANDLED} for the types the library decodes
     * exactly itself. Arguments as the library's {@code deserializeCell} gets them.
     */
    static Serializable cell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in);
            case TIME -> time(in);
            case TIME_V2 -> timeV2(meta, in);
            case TIMESTAMP -> timestamp(in);
            case TIMESTAMP_V2 -> timestampV2(meta, in);
            case DATETIME -> datetime(in);
            case DATETIME_V2 -> datetimeV2(meta, in);
            case YEAR -> year(in);
            case STRING -> string(length, in);
            case VARCHAR, VAR_STRING -> varString(meta, in);
            default -> NOT_HANDLED;
        };
    }

    /** What {@link #cell} answers for a type it leaves to the library. */
    static final Serializable NOT_HANDLED = new Serializable() {
        private static final long serialVersionUID = 1L;
    };

    static String date(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(3);
        StringBuilder sb = new StringBuilder(10);
        pad(sb, v >>> 9, 4).append('-');
        pad(sb, (v >>> 5) & 15, 2).append('-');
        return pad(sb, v & 31, 2).toString();
    }

    /** Pre-5.6 TIME: a signed 3-byte little-endian {@code hhmmss} number. */
    static String time(ByteArrayInputStream in) throws IOException {
        int v = (in.readInteger(3) << 8) >> 8;
        boolean neg = v < 0;
        long a = Math.abs((long) v);
        return hms(neg, a / 10000, a / 100 % 100, a % 100, 0, 0);
    }

    /** TIME(fsp) in the 5.6 format: {@code my_time_packed_from_binary}. */
    static String timeV2(int fsp, ByteArrayInputStream in) throws IOException {
        long packed;
        switch (fsp) {
            case 1, 2 -> {
                long intPart = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                long frac = in.read(1)[0] & 0xFF;
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10000;
            }
            case 3, 4 -> {
                long intPart = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                long frac = bigEndian(in.read(2));
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
            }
            case 5, 6 -> packed = bigEndian(in.read(6)) - TIMEF_OFS;
            default -> packed = (bigEndian(in.read(3)) - TIMEF_INT_OFS) << 24;
        }
        boolean neg = packed < 0;
        long p = Math.abs(packed);
        long hms = p >> 24;
        return hms(neg, (hms >> 12) % (1 << 10), (hms >> 6) % (1 << 6), hms % (1 << 6), p % (1 << 24), fsp);
    }

    /** Pre-5.6 DATETIME: an 8-byte little-endian {@code YYYYMMDDhhmmss} number. */
    static String datetime(ByteArrayInputStream in) throws IOException {
        long v = in.readLong(8);
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return datetime(date / 10000, date / 100 % 100, date % 100, time / 10000, time / 100 % 100, time % 100, 0, 0);
    }

    /** DATETIME(fsp) in the 5.6 format: {@code my_datetime_packed_from_binary}. */
    static String datetimeV2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in.read(5)) - DATETIMEF_INT_OFS;
        long frac = switch (fsp) {
            case 1, 2 -> ((byte) in.read(1)[0]) * 10000L;
            case 3, 4 -> ((short) bigEndian(in.read(2))) * 100L;
            case 5, 6 -> (bigEndian(in.read(3)) << 40) >> 40;
            default -> 0;
        };
        long packed = Math.abs((intPart << 24) + frac);
        long ymdhms = packed >> 24;
        long ymd = ymdhms >> 17;
        long ym = ymd >> 5;
        long hms = ymdhms % (1 << 17);
        return datetime(ym / 13, ym % 13, ymd % (1 << 5), hms >> 12, (hms >> 6) % (1 << 6), hms % (1 << 6),
                packed % (1 << 24), fsp);
    }

    /** Pre-5.6 TIMESTAMP: 4-byte little-endian epoch seconds. */
    static Instant timestamp(ByteArrayInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(4));
    }

    /** TIMESTAMP(fsp) in the 5.6 format: big-endian epoch seconds, then the fraction. */
    static Instant timestampV2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        long micros = switch (fsp) {
            case 1, 2 -> (in.read(1)[0] & 0xFF) * 10000L;
            case 3, 4 -> bigEndian(in.read(2)) * 100L;
            case 5, 6 -> bigEndian(in.read(3));
            default -> 0;
        };
        return Instant.ofEpochSecond(seconds, micros * 1000);
    }

    /** YEAR: one byte, 0 for YEAR 0000, else years since 1900. */
    static Integer year(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(1);
        return v == 0 ? 0 : 1900 + v;
    }

    /** CHAR/BINARY: the bytes as stored, behind a 1- or 2-byte length (by the column's maximum byte length). */
    static byte[] string(int maxLength, ByteArrayInputStream in) throws IOException {
        int n = maxLength < 256 ? in.readInteger(1) : in.readInteger(2);
        return in.read(n);
    }

    /** VARCHAR/VARBINARY: the bytes, behind a 1- or 2-byte length (by the column's maximum byte length). */
    static byte[] varString(int meta, ByteArrayInputStream in) throws IOException {
        int n = meta < 256 ? in.readInteger(1) : in.readInteger(2);
        return in.read(n);
    }

    private static String hms(boolean neg, long h, long m, long s, long micros, int fsp) {
        StringBuilder sb = new StringBuilder(17);
        if (neg) {
            sb.append('-');
        }
        pad(sb, h, 2).append(':');
        pad(sb, m, 2).append(':');
        pad(sb, s, 2);
        return fraction(sb, micros, fsp).toString();
    }

    private static String datetime(long y, long mo, long d, long h, long mi, long s, long micros, int fsp) {
        StringBuilder sb = new StringBuilder(26);
        pad(sb, y, 4).append('-');
        pad(sb, mo, 2).append('-');
        pad(sb, d, 2).append(' ');
        pad(sb, h, 2).append(':');
        pad(sb, mi, 2).append(':');
        pad(sb, s, 2);
        return fraction(sb, micros, fsp).toString();
    }

    /** Appends {@code .digits} with exactly {@code fsp} digits (none for fsp 0). */
    private static StringBuilder fraction(StringBuilder sb, long micros, int fsp) {
        if (fsp <= 0) {
            return sb;
        }
        int digits = Math.min(fsp, 6);
        long scaled = micros;
        for (int i = digits; i < 6; i++) {
            scaled /= 10;
        }
        return pad(sb.append('.'), scaled, digits);
    }

    private static StringBuilder pad(StringBuilder sb, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
