package io.dmjava.worker.fullmigration;

import io.dmjava.model.task.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compares tables on two servers: CHECKSUM TABLE, and each row as the hex of every stored column value
 * (FLOAT widened to DOUBLE, whose text form is exact; TIMESTAMP in UTC), ordered by all columns.
 */
public final class TableComparator {
    private TableComparator() {
    }

    public static long checksum(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("CHECKSUM TABLE " + t.quoted() + " EXTENDED")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** Every row rendered as {@code hex|hex|NULL|...}, sorted by the rendering (so no key is needed). */
    public static List<String> rows(Connection c, TableName t) throws SQLException {
        List<String> exprs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = TableName.quote(rs.getString(1));
                    String type = rs.getString(2).toLowerCase();
                    String e = switch (type) {
                        case "float" -> "HEX(CAST(CAST(" + col + " AS DOUBLE) AS BINARY))";
                        case "bit" -> "HEX(" + col + ")";
                        default -> "HEX(CAST(" + col + " AS BINARY))";
                    };
                    exprs.add("IFNULL(" + e + ", 'NULL')");
                }
            }
        }
        String select = "SELECT CONCAT_WS('|', " + String.join(", ", exprs) + ") AS r FROM " + t.quoted() + " ORDER BY r";
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'");
            st.execute("SET SESSION group_concat_max_len = 1048576");
            try (ResultSet rs = st.executeQuery(select)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A readable description of the rows only in one side, or empty when both sides hold the same rows. */
    public static String diff(List<String> expected, List<String> actual) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        expected.forEach(r -> counts.merge(r, 1, Integer::sum));
        actual.forEach(r -> counts.merge(r, -1, Integer::sum));
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        counts.forEach((r, n) -> {
            for (int i = 0; i < Math.abs(n); i++) {
                (n > 0 ? missing : extra).add(r);
            }
        });
        if (missing.isEmpty() && extra.isEmpty()) {
            return "";
        }
        return "missing downstream (" + missing.size() + "):\n  " + missing.stream().limit(5).collect(Collectors.joining("\n  "))
                + "\nextra downstream (" + extra.size() + "):\n  " + extra.stream().limit(5).collect(Collectors.joining("\n  "));
    }
}
