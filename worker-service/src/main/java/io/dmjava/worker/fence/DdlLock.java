package io.dmjava.worker.fence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * The downstream named lock ({@code GET_LOCK}) of one subtask: held by the connection that runs a statement
 * committing by itself (DDL, the schema tracker's shadow tables) for as long as it runs, and by the claim of a
 * new owner while it raises the token. The server releases it when the holding connection ends, however it
 * ends, so a killed or cut-off worker never leaves it behind.
 *
 * <p>Lock names are server-wide: the name covers the meta schema, the task and the source. MySQL rejects names
 * over 64 characters, so longer ones are replaced by a hash. MariaDB counts re-acquisitions by one connection
 * (it must release as often): every holder here takes it once and releases it once.
 */
public final class DdlLock {
    static final int MAX_NAME = 64;
    private static final String PREFIX = "dm_ddl.";

    private final String name;

    public DdlLock(String metaSchema, String task, String source) {
        this.name = name(metaSchema, task, source);
    }

    static String name(String metaSchema, String task, String source) {
        String full = PREFIX + metaSchema + "." + task + "." + source;
        if (full.length() <= MAX_NAME) {
            return full;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(d, 0, 24); // 7 + 48 characters
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /**
     * Waits up to {@code wait} (whole seconds, at least one: MySQL ignores fractions) for the lock on {@code c}.
     * Returns false when another connection still holds it. A NULL answer (this session was killed, or the server
     * found a deadlock between user locks) is an error.
     */
    boolean tryTake(Connection c, Duration wait) throws SQLException {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long got = rs.getLong(1);
                if (rs.wasNull()) {
                    throw new SQLException("GET_LOCK('" + name + "') returned NULL (the session was killed or a deadlock"
                            + " between user locks was found)");
                }
                return got == 1;
            }
        }
    }

    /** Releases the lock if {@code c} holds it; a broken connection has released it on the server already. */
    void releaseQuietly(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("DO RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.execute();
        } catch (SQLException ignored) {
            // the server releases a connection's locks when it ends
        }
    }

    /** The connection id holding the lock now, if any. */
    OptionalLong holder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(id);
            }
        }
    }

    static long connectionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
