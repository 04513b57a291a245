package io.dmjava.e2e;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small SQL helpers for assertions: rows as strings, checksums. */
final class Sql {
    private Sql() {
    }

    /** Every row of the query as {@code v1|v2|...} (NULL as \N), in the query's order. */
    static List<String> rows(MariaDbInstance db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String v = rs.getString(i);
                    sb.append(i > 1 ? "|" : "").append(v == null ? "\\N" : v);
                }
                out.add(sb.toString());
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long count(MariaDbInstance db, String table) {
        return Long.parseLong(rows(db, "SELECT COUNT(*) FROM " + table).get(0));
    }

    /** CHECKSUM TABLE's value (content-only; equal tables with equal definitions give equal sums). */
    static String checksum(MariaDbInstance db, String table) {
        return rows(db, "CHECKSUM TABLE " + table + " EXTENDED").get(0).split("\\|")[1];
    }
}
