package io.dmjava.worker.fullmigration;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/** Random rows for the fidelity table that the dump/load and binlog tests both fill. */
public final class FidelityRows {
    private FidelityRows() {
    }

    /** Random values in many columns of {@code `my db`.`select`}, seeded so failures reproduce. */
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
