package io.dmjava.worker.db;

import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC connections to one database with a fixed list of session statements run on each. The
 * password is passed as a property, never in the URL, so it cannot leak into a log line or an exception.
 */
public final class JdbcConnector {
    static {
        // The driver registers itself through ServiceLoader, except in some repackaged class loaders.
        try {
            Class.forName("org.mariadb.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final long SOCKET_TIMEOUT_MS = 15 * 60 * 1000;

    private final DbConfig config;
    private final List<String> sessionSql;

    /**
     * @param config     where to connect; its {@link DbConfig#session()} variables are set first
     * @param sessionSql statements run after those on every new connection (they win over the user's)
     */
    public JdbcConnector(DbConfig config, List<String> sessionSql) {
        this.config = config;
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, String> e : config.session().entrySet()) {
            all.add("SET SESSION " + e.getKey() + " = " + SqlText.literal(e.getValue()));
        }
        all.addAll(sessionSql);
        this.sessionSql = List.copyOf(all);
    }

    public DbConfig config() {
        return config;
    }

    /** A new connection with the session statements applied, in auto-commit mode. */
    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password() == null ? "" : config.password());
        // LOAD DATA LOCAL INFILE is how the loader imports chunk files.
        props.setProperty("allowLocalInfile", "true");
        props.setProperty("connectTimeout", "10000");
        props.setProperty("tcpKeepAlive", "true");
        // A reply that takes longer than this means a dead server or network, not a slow chunk (a chunk is
        // ~16 MB); the error is a retryable connection error.
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT_MS));
        // Result streaming and COM_QUERY text rows are what the dump relies on for exact values.
        props.setProperty("useServerPrepStmts", "false");
        Connection connection = DriverManager.getConnection(config.jdbcUrl(""), props);
        try (Statement st = connection.createStatement()) {
            for (String sql : sessionSql) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    public String toString() {
        return "JdbcConnector[" + config + "]";
    }
}
