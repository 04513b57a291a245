package io.dmjava.worker.unit;

import java.util.Map;

/**
 * How to connect to one database, password in clear (decrypted on the worker, kept only in memory).
 * {@code toString} never shows the password.
 *
 * @param session session variables to set on every connection (target only)
 */
public record DbConfig(String host, int port, String user, String password, Map<String, String> session) {
    public DbConfig {
        session = session == null ? Map.of() : Map.copyOf(session);
    }

    /** A JDBC URL for the MariaDB driver, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + (database == null ? "" : database);
    }

    @Override
    public String toString() {
        return "DbConfig[" + user + "@" + host + ":" + port + "]";
    }
}
