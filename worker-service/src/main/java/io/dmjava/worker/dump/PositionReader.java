package io.dmjava.worker.dump;

import io.dmjava.worker.db.DbFlavor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads binlog positions and GTID sets from a source, the MySQL way or the MariaDB way. */
public final class PositionReader {
    private final DbFlavor flavor;

    public PositionReader(DbFlavor flavor) {
        this.flavor = flavor;
    }

    /** The current end of the binlog ({@code SHOW MASTER STATUS}) and the executed GTID set. */
    public BinlogPosition current(Connection c) throws SQLException {
        String file = "";
        long pos = 0;
        try (Statement st = c.createStatement(); ResultSet rs = masterStatus(st)) {
            if (rs.next()) {
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
        }
        return new BinlogPosition(file, pos, gtid(c));
    }

    /**
     * Where this connection's consistent snapshot sits in the binlog. MariaDB knows it exactly
     * ({@code binlog_snapshot_file/position}, set by START TRANSACTION WITH CONSISTENT SNAPSHOT, translated
     * to a GTID position by {@code BINLOG_GTID_POS}); elsewhere the answer is {@code null}.
     */
    BinlogPosition snapshotOf(Connection c) throws SQLException {
        if (flavor != DbFlavor.MARIADB) {
            return null;
        }
        String file = null;
        long pos = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (name.equals("binlog_snapshot_file")) {
                    file = rs.getString(2);
                } else if (name.equals("binlog_snapshot_position")) {
                    pos = Long.parseLong(rs.getString(2));
                }
            }
        }
        if (file == null || file.isEmpty()) {
            return null;
        }
        String gtid = "";
        try (PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, pos);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    gtid = rs.getString(1);
                }
            }
        }
        return new BinlogPosition(file, pos, gtid);
    }

    private ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            // MySQL 8.4 removed SHOW MASTER STATUS in favour of SHOW BINARY LOG STATUS.
            if (e.getErrorCode() == 1064) {
                return st.executeQuery("SHOW BINARY LOG STATUS");
            }
            throw e;
        }
    }

    private String gtid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + flavor.gtidVariable())) {
            String value = rs.next() ? rs.getString(1) : null;
            // MySQL wraps long gtid_executed values over several lines.
            return value == null ? "" : value.replace("\n", "").replace("\r", "").trim();
        } catch (SQLException e) {
            if (e.getErrorCode() == 1193) { // unknown system variable: GTIDs not supported
                return "";
            }
            throw e;
        }
    }
}
