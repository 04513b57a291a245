package io.dmjava.worker.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** MySQL or MariaDB: they differ in how the binlog position, GTID set and some session variables are read. */
public enum DbFlavor {
    MYSQL,
    MARIADB;

    /** Reads {@code VERSION()}: MariaDB says so in its version string (e.g. {@code 10.11.6-MariaDB-log}). */
    public static DbFlavor detect(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return fromVersion(rs.getString(1));
        }
    }

    public static DbFlavor fromVersion(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }

    /** The variable holding the executed GTID set in the form the sync unit starts from. */
    public String gtidVariable() {
        return this == MARIADB ? "@@GLOBAL.gtid_binlog_pos" : "@@GLOBAL.gtid_executed";
    }
}
