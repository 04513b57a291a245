package io.dmjava.master.source;

import io.dmjava.master.db.MasterJdbc;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connects to an upstream server and checks what migration from it needs: binlog on, in ROW format with
 * FULL row images, a server_id, and the privileges the dump and the binlog reader use. Each failed item
 * comes back with the statement that fixes it.
 */
public final class UpstreamProbe {
    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);

    /** One failed check, named as DM names its check items (so {@code ignore_checking_items} can skip it). */
    public record Problem(String item, String message) {
        @Override
        public String toString() {
            return item + ": " + message;
        }
    }

    /** What the server told us, plus every problem found. */
    public record Result(String flavor, String version, long serverId, List<Problem> problems) {
    }

    /** Opens a connection with a short timeout; a failure says what could not be reached. */
    public static Connection connect(String name, String host, int port, String user, String password) {
        try {
            return MasterJdbc.connect(host, port, user, password);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SOURCE_UNREACHABLE, e, name, host + ":" + port, MasterJdbc.firstLine(e.getMessage()));
        }
    }

    public Result probe(Connection c) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        String version = scalar(c, "SELECT VERSION()");
        String flavor = version.toLowerCase(Locale.ROOT).contains("mariadb") ? "mariadb" : "mysql";
        long serverId = Long.parseLong(variable(c, "server_id", "0"));
        if (serverId == 0) {
            problems.add(new Problem("server_id", "server_id is 0: a server with server_id 0 refuses binlog clients; set server_id to a unique non-zero value in my.cnf"));
        }
        String logBin = variable(c, "log_bin", "OFF");
        if (!logBin.equalsIgnoreCase("ON") && !logBin.equals("1")) {
            problems.add(new Problem("binlog_enable", "binary log is off (log_bin=" + logBin + "): start the server with --log-bin"));
        }
        String format = variable(c, "binlog_format", "");
        if (!format.equalsIgnoreCase("ROW")) {
            problems.add(new Problem("binlog_format", "binlog_format is " + format + ", ROW is needed: SET GLOBAL binlog_format=ROW (and in my.cnf)"));
        }
        String image = variable(c, "binlog_row_image", "FULL");
        if (!image.equalsIgnoreCase("FULL")) {
            problems.add(new Problem("binlog_row_image", "binlog_row_image is " + image + ", FULL is needed: SET GLOBAL binlog_row_image=FULL (and in my.cnf)"));
        }
        problems.addAll(missingPrivileges(c, flavor));
        return new Result(flavor, version, serverId, problems);
    }

    /** The privileges the dump (snapshot, SELECT) and the binlog reader need, checked on *.*. */
    private List<Problem> missingPrivileges(Connection c, String flavor) throws SQLException {
        Set<String> global = new HashSet<>();
        boolean anySelect = false;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                Matcher m = GRANT.matcher(rs.getString(1));
                if (!m.find()) {
                    continue;
                }
                boolean onAll = m.group(2).equals("*.*");
                for (String priv : m.group(1).split(",")) {
                    String p = priv.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
                    if (onAll) {
                        global.add(p);
                    }
                    anySelect |= p.equals("SELECT") || p.equals("ALL PRIVILEGES") || p.equals("ALL");
                }
            }
        }
        if (global.contains("ALL PRIVILEGES") || global.contains("ALL")) {
            return List.of();
        }
        List<Problem> missing = new ArrayList<>();
        if (!global.contains("REPLICATION SLAVE")) {
            missing.add(new Problem("replication_privilege", "privilege REPLICATION SLAVE on *.* is missing (the binlog reader needs it): GRANT REPLICATION SLAVE ON *.* TO <user>"));
        }
        boolean monitor = global.contains("REPLICATION CLIENT") || global.contains("BINLOG MONITOR") || global.contains("SUPER");
        if (!monitor) {
            String name = flavor.equals("mariadb") ? "BINLOG MONITOR" : "REPLICATION CLIENT";
            missing.add(new Problem("replication_privilege", "privilege " + name + " on *.* is missing (reading binlog positions needs it): GRANT " + name + " ON *.* TO <user>"));
        }
        if (!anySelect) {
            missing.add(new Problem("dump_privilege", "privilege SELECT is missing (the dump reads the tables): GRANT SELECT ON *.* TO <user> (or on the migrated schemas)"));
        }
        if (!global.contains("RELOAD") && !global.contains("LOCK TABLES")) {
            missing.add(new Problem("dump_privilege", "privilege RELOAD (or at least LOCK TABLES) on *.* is missing (a consistent dump needs one of them): GRANT RELOAD ON *.* TO <user>"));
        }
        return missing;
    }

    private static String variable(Connection c, String name, String absent) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : absent;
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
