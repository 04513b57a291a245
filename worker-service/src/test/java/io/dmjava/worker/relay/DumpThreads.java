package io.dmjava.worker.relay;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The upstream's binlog dump threads (one per replication connection): counted, or KILLed to break connections. */
public final class DumpThreads {
    private static final String QUERY = "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'";

    private DumpThreads() {
    }

    public static List<Long> ids(MariaDbInstance up) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = up.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** KILLs every dump thread: each replica sees its connection drop. */
    public static void kill(MariaDbInstance up) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            for (long id : ids(up)) {
                try {
                    st.execute("KILL " + id);
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1094) { // unknown thread id: it ended by itself meanwhile
                        throw e;
                    }
                }
            }
        }
    }
}
