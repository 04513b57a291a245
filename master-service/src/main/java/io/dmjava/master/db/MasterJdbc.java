package io.dmjava.master.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The master's short-lived connections to upstreams and targets (prechecks, catalog listings): short
 * timeouts, so an unreachable server fails a request in seconds instead of hanging it.
 */
public final class MasterJdbc {
    private MasterJdbc() {
    }

    public static Connection connect(String host, int port, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user == null ? "" : user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "30000");
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", p);
    }

    /** The first line of a driver message: the rest is a stack of causes the user does not need. */
    public static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
