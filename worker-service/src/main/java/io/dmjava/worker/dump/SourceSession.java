package io.dmjava.worker.dump;

import io.dmjava.worker.db.DbFlavor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The session settings of every source connection the dump opens, and why each one is there. */
final class SourceSession {
    private SourceSession() {
    }

    /**
     * @param flavor       the source's flavor when known (adds the flavor's statement time limit override)
     * @param binaryResult whether values come back untranscoded (export sessions), or as utf8mb4 (metadata)
     */
    static List<String> statements(DbFlavor flavor, boolean binaryResult) {
        List<String> sql = new ArrayList<>(List.of(
                "SET NAMES utf8mb4",
                // TIMESTAMP values are printed in the session time zone: UTC is the only zone without gaps or
                // repeated hours, and the loader reads them back in UTC.
                "SET SESSION time_zone = '+00:00'",
                // No ANSI_QUOTES (SHOW CREATE TABLE must quote with backticks), nothing that changes values.
                "SET SESSION sql_mode = ''",
                // A chunk streams as fast as its file is written; idle sessions wait for their next chunk.
                "SET SESSION net_write_timeout = 3600",
                "SET SESSION net_read_timeout = 3600",
                "SET SESSION wait_timeout = 86400"));
        if (binaryResult) {
            // Text and binary columns arrive as their stored bytes, in the column's own character set.
            sql.add("SET SESSION character_set_results = binary");
        }
        if (flavor == DbFlavor.MARIADB) {
            sql.add("SET SESSION max_statement_time = 0");
        } else if (flavor == DbFlavor.MYSQL) {
            sql.add("SET SESSION max_execution_time = 0");
        }
        return sql;
    }

    static void applyFlavorSettings(Connection c, DbFlavor flavor) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(flavor == DbFlavor.MARIADB ? "SET SESSION max_statement_time = 0" : "SET SESSION max_execution_time = 0");
        }
    }

    static String version(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
