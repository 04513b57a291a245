package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.GtidSet;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the relay asks the upstream over SQL: its flavour, its binlog files, its current position. */
final class RelayUpstream {
    /** The upstream's current position. */
    record MasterStatus(String file, long pos, String gtid) {
        String binlog() {
            return "(" + file + ", " + pos + ")";
        }
    }

    private final JdbcConnector connector;

    RelayUpstream(DbConfig config) {
        this.connector = new JdbcConnector(config, List.of());
    }

    DbFlavor flavor() throws SQLException {
        try (Connection c = connector.open()) {
            return DbFlavor.detect(c);
        }
    }

    /** The upstream's binlog files, oldest first ({@code SHOW BINARY LOGS}). */
    List<String> binaryLogs() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connector.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    MasterStatus masterStatus(DbFlavor flavor) throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement()) {
            String file;
            long pos;
            try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                if (!rs.next()) {
                    throw new SQLException("SHOW MASTER STATUS returned nothing: binary logging is off");
                }
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT " + flavor.gtidVariable())) {
                rs.next();
                String gtid = rs.getString(1);
                return new MasterStatus(file, pos, gtid == null ? "" : gtid.replace("\n", ""));
            }
        }
    }

    /**
     * The last binlog file whose starting GTID set is contained in {@code gtid}: every transaction after
     * {@code gtid} is in it or in a later file.
     *
     * @return the file, or null when even the oldest file starts after {@code gtid} (the rest was purged)
     */
    String fileStartingWithin(DbFlavor flavor, String gtid, List<String> files) throws SQLException {
        String found = null;
        try (Connection c = connector.open()) {
            for (String f : files) {
                String start = startGtid(c, flavor, f);
                if (start == null || !contained(flavor, start, gtid)) {
                    break;
                }
                found = f;
            }
        }
        return found;
    }

    /** The GTID set before file {@code f}: its GTID_LIST (MariaDB) or PREVIOUS_GTIDS (MySQL) event. */
    private static String startGtid(Connection c, DbFlavor flavor, String f) throws SQLException {
        String type = flavor == DbFlavor.MARIADB ? "Gtid_list" : "Previous_gtids";
        try (PreparedStatement ps = c.prepareStatement("SHOW BINLOG EVENTS IN ? LIMIT 4")) {
            ps.setString(1, f);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (type.equalsIgnoreCase(rs.getString("Event_type"))) {
                        String info = rs.getString("Info").strip();
                        return info.startsWith("[") ? info.substring(1, info.length() - 1) : info;
                    }
                }
            }
        }
        return null;
    }

    static boolean contained(DbFlavor flavor, String inner, String outer) {
        if (flavor == DbFlavor.MYSQL) {
            return new GtidSet(inner.replace("\n", "")).isContainedWithin(new GtidSet(outer.replace("\n", "")));
        }
        Map<String, Long> have = mariadbSeqByDomain(outer);
        for (Map.Entry<String, Long> e : mariadbSeqByDomain(inner).entrySet()) {
            Long seq = have.get(e.getKey());
            if (seq == null || seq < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> mariadbSeqByDomain(String set) {
        Map<String, Long> out = new HashMap<>();
        for (String part : set.split(",")) {
            String[] f = part.strip().split("-");
            if (f.length == 3) {
                out.merge(f[0], Long.parseLong(f[2]), Math::max);
            }
        }
        return out;
    }
}
