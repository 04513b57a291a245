package io.dmjava.worker.fullmigration;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** Random rows for the fidelity table that the dump/load and binlog tests both fill. */
public final class FidelityRows {
    private FidelityRows() {
    }

    /** Random values in many columns of {@code `my db`.`select`}, seeded so failures reproduce. */
    /** The column list of {@link #insertEdgeRows}' full-width rows (every column but the generated ones). */
    public static final String COLS = "`id`,`from`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`dec`,`f`,`d`,`b1`,`b64`,"
            + "`dt`,`tm`,`dtm`,`ts`,`y`,`c`,`vc`,`tx`,`l1`,`vb`,`bl`,`bn`,`e`,`s`,`j`,`spaced col`,`ünï`,`back``tick`";

    /**
     * Rows 0 to 7 of {@code `my db`.`select`}: every column at its maximum and its minimum, NULL everywhere, special
     * values (zero dates, -0, escapes, odd fractions), float edge cases, and every byte value in the binary columns.
     * TIMESTAMPs are read in the session's time zone, which the caller sets.
     */
    public static void insertEdgeRows(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (0, 'max', 127, 255, 32767, 65535, 8388607,"
                    + " 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,"
                    + " 99999999999999999999999999999999999.999999999999999999999999999999, 3.4028234e38,"
                    + " 1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',"
                    + " '9999-12-31', '838:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 08:44:07.999999', 2155,"
                    + " 'ten chars!', 'emoji 😀🎉 end', REPEAT('long text ', 500), 'café crème ÿ', 'x', 'y', 'zz', 'ç',"
                    + " 'x,y,z', '{\"k\": [1, 2.5, \"ü\", null]}', 1, 'ünï', 2)");
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (1, 'min', -128, 0, -32768, 0, -8388608, 0,"
                    + " -2147483648, 0, -9223372036854775808, 0,"
                    + " -99999999999999999999999999999999999.999999999999999999999999999999, -1.17549435e-38,"
                    + " -2.2250738585072014e-308, b'0', b'0', '1000-01-01', '-838:59:59.999999', '1000-01-01 00:00:00.000000',"
                    + " '1970-01-01 05:30:01.000000', 1901, '', '', '', '', '', '', '', 'a', '', '[]', -1, '', -2)");
            st.execute("INSERT INTO `my db`.`select` (`id`) VALUES (2)"); // NULL everywhere
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (3, 'specials', NULL, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, NULL, NULL, NULL, 0.000000000000000000000000000001, -0e0, -0e0, NULL, b'1010', '0000-00-00',"
                    + " '-00:00:00.000001', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, ' sp', '\\\\N', 'NULL',"
                    + " 'tab\\there\\nnew\\rline\\\\back\\\\', 'Ω≈ç√', '\\\\N', 'NULL', NULL, 'y,x', '\"s\"', 0, '', 0)");
            st.execute("INSERT INTO `my db`.`select` (`id`, `f`, `d`, `tm`, `dtm`, `ts`) VALUES (4, 1.2345678, 0.1e0 + 0.2e0,"
                    + " '-00:59:59.5', '2024-03-31 02:30:00.5', '2024-10-27 01:30:00.123456'),"
                    + " (5, 1.401298464e-45, 4.9e-324, '00:00:00', '2000-02-29 12:00:00', '2000-01-01 00:00:00'),"
                    + " (6, 16777217, 9007199254740993, '12:34:56.789', '1999-12-31 23:59:59.999999', '1999-12-31 18:30:00')");
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO `my db`.`select` (`id`, `vb`, `bl`, `bn`, `tx`, `l1`)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, 7);
                ps.setBytes(2, all);
                ps.setBytes(3, all);
                ps.setBytes(4, new byte[] {0, '\t', '\n', '\\'});
                ps.setString(5, "𝄞 4-byte ✓ \t\n\\ \u0000 end");
                ps.setBytes(6, new byte[] {(byte) 0xE9, (byte) 0xFF, 0x09, 0x5C, 0x0A, 0x00, 0x1A});
                ps.executeUpdate();
            }
        }
    }

    public static void insertRandomRows(Connection c, int firstId, int count) throws SQLException {
        Random r = new Random(42);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO `my db`.`select` (`id`, `bi`, `biu`, `dec`, `f`, `d`, `b64`,"
                + " `dtm`, `ts`, `vc`, `vb`, `bl`, `l1`, `i`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                ps.setInt(1, firstId + i);
                ps.setLong(2, r.nextLong());
                ps.setString(3, new BigInteger(64, r).toString());
                ps.setString(4, (r.nextBoolean() ? "-" : "") + new BigInteger(110, r).mod(BigInteger.TEN.pow(35)) + "."
                        + String.format("%030d", new BigInteger(100, r).mod(BigInteger.TEN.pow(30))));
                ps.setFloat(5, finite(() -> Float.intBitsToFloat(r.nextInt())));
                ps.setDouble(6, finiteDouble(r));
                ps.setLong(7, r.nextLong());
                ps.setString(8, String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", 1000 + r.nextInt(9000), 1 + r.nextInt(12),
                        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000)));
                ps.setString(9, String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", 1971 + r.nextInt(66), 1 + r.nextInt(12),
                        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000)));
                ps.setString(10, randomText(r, 40));
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                ps.setBytes(11, b);
                byte[] bl = new byte[r.nextInt(3000)];
                r.nextBytes(bl);
                ps.setBytes(12, bl);
                byte[] l1 = new byte[r.nextInt(50)];
                for (int k = 0; k < l1.length; k++) {
                    l1[k] = (byte) (1 + r.nextInt(255));
                }
                ps.setString(13, new String(l1, StandardCharsets.ISO_8859_1));
                ps.setInt(14, r.nextInt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static float finite(java.util.function.Supplier<Float> f) {
        float v;
        do {
            v = f.get();
        } while (Float.isNaN(v) || Float.isInfinite(v));
        return v;
    }

    private static double finiteDouble(Random r) {
        double v;
        do {
            v = Double.longBitsToDouble(r.nextLong());
        } while (Double.isNaN(v) || Double.isInfinite(v));
        return v;
    }

    public static String randomText(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max);
        for (int i = 0; i < n; i++) {
            int cp;
            do {
                cp = r.nextInt(4) == 0 ? 0x1F300 + r.nextInt(0x2FF) : 1 + r.nextInt(0xD7FF);
            } while (Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.SURROGATE);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}
