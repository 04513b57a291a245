package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import io.dmjava.worker.sync.schema.ColumnSchema;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.Locale;

/**
 * Turns a value decoded from a rows event (see {@link ExactCells} for the forms) into a JDBC parameter that
 * writes back exactly the same value downstream. The downstream session is assumed to run with
 * {@code SET NAMES utf8mb4}, {@code time_zone='+00:00'} and a non-strict {@code sql_mode} that allows zero
 * and invalid dates ({@code NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES}), and the parameters to be sent as text
 * (client-side prepared statements), as the load unit does.
 *
 * <ul>
 *   <li>integers: unsigned ones widened (TINYINT..INT UNSIGNED to Long, BIGINT UNSIGNED to Long or
 *       BigInteger above {@code Long.MAX_VALUE})</li>
 *   <li>DECIMAL: BigDecimal; FLOAT and DOUBLE: Double (a FLOAT widened exactly), except negative zero, which
 *       is the text {@code -0E0} because the driver would write {@code -0.0}, a DECIMAL literal without sign</li>
 *   <li>BIT: Long, or BigInteger for BIT(64) values with the top bit set</li>
 *   <li>DATE/DATETIME/TIME: the exact text (zero and invalid dates, negative and >24 h times, fractions);
 *       TIMESTAMP: the same instant as UTC text ({@code 0000-00-00 00:00:00} for the zero timestamp)</li>
 *   <li>YEAR: Integer (0 for 0000); ENUM: its Integer index; SET: its bitmask (Long or BigInteger)</li>
 *   <li>JSON: MySQL's binary JSON as JSON text; MariaDB's JSON is LONGTEXT and follows the text rule</li>
 *   <li>text in a UTF-8 family charset or ascii ({@link ColumnSchema#isUtf8Text()}): a String; text in any
 *       other charset ({@link ColumnSchema#isRawText()}): the raw bytes, for
 *       {@code CONVERT(? USING cs) COLLATE coll}; binary strings and BLOBs: the raw bytes</li>
 * </ul>
 */
public final class ValueConverter {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private ValueConverter() {
    }

    /**
     * @param col         the column as the schema tracker knows it at the event's position
     * @param binlogValue the decoded cell; null for SQL NULL
     * @return the JDBC parameter (null for NULL)
     * @throws IllegalArgumentException when the value does not fit the column type (schema out of step)
     */
    public static Object toJdbc(ColumnSchema col, Serializable binlogValue) {
        if (binlogValue == null) {
            return null;
        }
        String type = col.dataType().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> integer(col, type, binlogValue);
            case "float", "double", "real", "double precision" -> floating(col, binlogValue);
            case "bit" -> bits(col, binlogValue);
            case "timestamp" -> timestamp(col, binlogValue);
            case "year", "decimal", "numeric", "date", "datetime", "time", "enum" -> binlogValue;
            case "set" -> unsignedLong(((Number) binlogValue).longValue());
            case "json" -> json(binlogValue);
            default -> text(col, binlogValue);
        };
    }

    private static Object integer(ColumnSchema col, String type, Serializable v) {
        if (!(v instanceof Number n)) {
            throw mismatch(col, v);
        }
        if (!col.unsigned()) {
            return n;
        }
        return switch (type) {
            case "tinyint" -> n.longValue() & 0xFFL;
            case "smallint" -> n.longValue() & 0xFFFFL;
            case "mediumint" -> n.longValue() & 0xFF_FFFFL;
            case "int", "integer" -> n.longValue() & 0xFFFF_FFFFL;
            default -> unsignedLong(n.longValue());
        };
    }

    private static Object floating(ColumnSchema col, Serializable v) {
        if (!(v instanceof Number n)) {
            throw mismatch(col, v);
        }
        // Float to double is exact, and Double.toString round-trips a double; the server narrows it back.
        double d = n.doubleValue();
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            return "-0E0";
        }
        return d;
    }

    private static Object bits(ColumnSchema col, Serializable v) {
        if (v instanceof BitSet bits) {
            long[] words = bits.toLongArray();
            return unsignedLong(words.length == 0 ? 0 : words[0]);
        }
        if (v instanceof Number n) {
            return unsignedLong(n.longValue());
        }
        throw mismatch(col, v);
    }

    private static Object timestamp(ColumnSchema col, Serializable v) {
        if (v instanceof String s) {
            return s;
        }
        if (!(v instanceof Instant instant)) {
            throw mismatch(col, v);
        }
        if (instant.equals(Instant.EPOCH)) {
            return "0000-00-00 00:00:00";
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(26).append(String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d",
                utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond()));
        int micros = instant.getNano() / 1000;
        if (micros != 0) {
            sb.append('.').append(String.format(Locale.ROOT, "%06d", micros));
        }
        return sb.toString();
    }

    private static Object json(Serializable v) {
        if (!(v instanceof byte[] bytes)) {
            return v;
        }
        // An empty binary JSON value is what MySQL logs for a JSON NULL literal stored in a NOT NULL column.
        if (bytes.length == 0) {
            return "null";
        }
        try {
            return JsonBinary.parseAsString(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("undecodable binary JSON value", e);
        }
    }

    private static Object text(ColumnSchema col, Serializable v) {
        if (col.isUtf8Text()) {
            return v instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : v;
        }
        if (v instanceof String s && col.isRawText()) {
            // Only if a decoder without CHAR_AND_BINARY_AS_BYTE_ARRAY was used; the bytes are then already lost.
            throw mismatch(col, s);
        }
        return v;
    }

    private static Object unsignedLong(long v) {
        return v >= 0 ? (Object) v : BigInteger.valueOf(v).add(TWO_64);
    }

    private static IllegalArgumentException mismatch(ColumnSchema col, Serializable v) {
        return new IllegalArgumentException("column `" + col.name() + "` (" + col.columnType() + ") cannot take a "
                + v.getClass().getSimpleName() + " from the binlog; the tracked schema is out of step with the binlog");
    }
}
