package io.dmjava.worker.fence;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The downstream side of fencing: {@code <meta>.<task>_owner} holds, per source, the token of the worker run
 * that owns the subtask. A new owner raises it ({@link #raise}, an exclusive row lock); every data transaction
 * of an owner first reads it with a shared lock ({@link #read}). The two locks conflict, so the raise waits
 * for every transaction of the previous owner that already passed its read, and once it commits, any later
 * transaction of the previous owner reads the new token and rolls back. Shared locks do not conflict with
 * each other: the apply queues of one owner run in parallel. Statements that commit by themselves (DDL) cannot
 * hold the shared lock: they run under the source's {@link DdlLock} instead, which the raise takes too.
 *
 * <p>{@code <meta>.<task>_owner_commits} (only with {@code dm.worker.fence-audit}) counts committed data
 * transactions per token and connection, in the transactions themselves: a diagnostic that shows which owner
 * wrote when.
 */
public final class OwnerTokenStore {
    private final TableName owner;
    private final TableName commits;
    private final String source;
    private final DdlLock ddlLock;
    private final String readSql;
    private final String auditSql;

    public OwnerTokenStore(String metaSchema, String task, String source) {
        this.owner = new TableName(metaSchema, task + "_owner");
        this.commits = new TableName(metaSchema, task + "_owner_commits");
        this.source = source;
        this.ddlLock = new DdlLock(metaSchema, task, source);
        // LOCK IN SHARE MODE: understood by MariaDB, MySQL 5.7 and 8 alike (FOR SHARE is MySQL 8 only).
        this.readSql = "SELECT `token` FROM " + owner.quoted() + " WHERE `source` = ? LOCK IN SHARE MODE";
        this.auditSql = "INSERT INTO " + commits.quoted() + " (`source`, `token`, `conn_id`, `commits`)"
                + " VALUES (?, ?, CONNECTION_ID(), 1) ON DUPLICATE KEY UPDATE `commits` = `commits` + 1";
    }

    public TableName table() {
        return owner;
    }

    /** The named lock that DDL of the source's owner and the claim of a new owner take (see {@link Fence#ddl}). */
    public DdlLock ddlLock() {
        return ddlLock;
    }

    /** Creates the tables if missing and the source's row (token 0) if it has none. Auto-commit. */
    public void ensure(Connection c, boolean audit) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(owner.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + owner.quoted() + " ("
                    + "`source` VARCHAR(128) NOT NULL,"
                    + "`token` BIGINT NOT NULL,"
                    + "`worker` VARCHAR(128) NOT NULL,"
                    + "`update_time` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                    + "PRIMARY KEY (`source`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            if (audit) {
                st.execute("CREATE TABLE IF NOT EXISTS " + commits.quoted() + " ("
                        + "`source` VARCHAR(128) NOT NULL,"
                        + "`token` BIGINT NOT NULL,"
                        + "`conn_id` BIGINT NOT NULL,"
                        + "`commits` BIGINT NOT NULL,"
                        + "PRIMARY KEY (`source`, `token`, `conn_id`)"
                        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + owner.quoted()
                + " (`source`, `token`, `worker`) VALUES (?, 0, '')")) {
            ps.setString(1, source);
            ps.executeUpdate();
        }
    }

    /**
     * Raises the token to {@code token} unless it is already that high, inside {@code c}'s open transaction (the
     * caller commits). Blocks while a transaction of an earlier owner holds its shared lock.
     */
    public void raise(Connection c, long token, String worker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + owner.quoted()
                + " SET `token` = ?, `worker` = ? WHERE `source` = ? AND `token` < ?")) {
            ps.setLong(1, token);
            ps.setString(2, worker);
            ps.setString(3, source);
            ps.setLong(4, token);
            ps.executeUpdate();
        }
    }

    /** The current token under a shared lock held until {@code c}'s transaction ends (empty: no row). */
    public OptionalLong read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(readSql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * The latest committed token, without locking (a locking read would queue behind a waiting claim). Use on an
     * auto-commit connection, where each read sees the latest commit.
     */
    public OptionalLong peek(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT `token` FROM " + owner.quoted() + " WHERE `source` = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Counts one more committed transaction of {@code token} on this connection (inside its transaction). */
    public void audit(Connection c, long token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(auditSql)) {
            ps.setString(1, source);
            ps.setLong(2, token);
            ps.executeUpdate();
        }
    }

    /**
     * The connections whose transactions block {@code waiting}'s lock request right now. Needs the PROCESS
     * privilege; MariaDB and MySQL 5.7 expose the waits in information_schema, MySQL 8 in the sys schema.
     */
    public static Set<Long> blockersOf(Connection c, long waiting) throws SQLException {
        String mariadb = "SELECT DISTINCT b.trx_mysql_thread_id FROM information_schema.INNODB_LOCK_WAITS w"
                + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
                + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
                + " WHERE r.trx_mysql_thread_id = ?";
        try {
            return ids(c, mariadb, waiting);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1109 && e.getErrorCode() != 1146) { // unknown table: MySQL 8
                throw e;
            }
            return ids(c, "SELECT DISTINCT blocking_pid FROM sys.innodb_lock_waits WHERE waiting_pid = ?", waiting);
        }
    }

    private static Set<Long> ids(Connection c, String sql, long waiting) throws SQLException {
        Set<Long> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, waiting);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return owner + " (source " + source + ")";
    }
}
