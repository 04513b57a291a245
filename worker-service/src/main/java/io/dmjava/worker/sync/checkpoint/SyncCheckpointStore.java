package io.dmjava.worker.sync.checkpoint;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.fence.Fence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sync checkpoint in the downstream's meta schema. {@code <task>_syncer_checkpoint} holds, per source, one
 * global row (the resume position and the safe-mode exit point) and one row per tracked table (its CREATE
 * TABLE as of that position: the schema tracker restarts from it). {@code <task>_syncer_applied} holds each
 * apply queue's last committed change, upserted inside the queue's own data transactions, so that after a
 * crash exactly the changes already applied are recognised.
 */
public final class SyncCheckpointStore {
    private static final String GLOBAL = "";
    /**
     * Which start request (start_time / safe_mode_time_duration) the checkpoint already follows, and the binlog time
     * until which that request's safe mode lasts: global row only. Added after the first release, so older tables
     * get them at {@link #ensure}.
     */
    private static final String START_COLUMNS = "`start_request` VARCHAR(64) NULL, `safe_mode_exit_ts` BIGINT NULL";

    private final TableName checkpoint;
    private final TableName applied;
    private final String source;
    /** Run once per apply transaction: built once. */
    private final String appliedUpsert;
    private final Fence fence;

    public SyncCheckpointStore(String metaSchema, String task, String source) {
        this(metaSchema, task, source, Fence.NONE);
    }

    /** @param fence entered first by every transaction that writes data or checkpoints (see docs/ha.md) */
    public SyncCheckpointStore(String metaSchema, String task, String source, Fence fence) {
        this.fence = fence;
        this.checkpoint = new TableName(metaSchema, task + "_syncer_checkpoint");
        this.applied = new TableName(metaSchema, task + "_syncer_applied");
        this.source = source;
        this.appliedUpsert = "INSERT INTO " + applied.quoted() + " (`id`, `queue`, `queues`, `binlog_name`, `binlog_pos`, `row_idx`)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `queues` = VALUES(`queues`),"
                + " `binlog_name` = VALUES(`binlog_name`), `binlog_pos` = VALUES(`binlog_pos`), `row_idx` = VALUES(`row_idx`)";
    }

    public void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(checkpoint.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + checkpoint.quoted() + " ("
                    + "`id` VARCHAR(128) NOT NULL,"
                    + "`cp_schema` VARCHAR(128) NOT NULL,"
                    + "`cp_table` VARCHAR(128) NOT NULL,"
                    + "`binlog_name` VARCHAR(255) NOT NULL,"
                    + "`binlog_pos` BIGINT UNSIGNED NOT NULL,"
                    + "`binlog_gtid` TEXT NOT NULL,"
                    + "`exit_safe_binlog_name` VARCHAR(255) NULL,"
                    + "`exit_safe_binlog_pos` BIGINT UNSIGNED NULL,"
                    + "`exit_safe_binlog_gtid` TEXT NULL,"
                    + "`table_info` LONGTEXT NULL,"
                    + "`is_global` BOOLEAN NOT NULL,"
                    + START_COLUMNS + ","
                    + "`update_time` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),"
                    + "PRIMARY KEY (`id`, `cp_schema`, `cp_table`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            if (!hasColumn(c, "start_request")) {
                st.execute("ALTER TABLE " + checkpoint.quoted() + " ADD COLUMN " + START_COLUMNS.replace(", ", ", ADD COLUMN "));
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + applied.quoted() + " ("
                    + "`id` VARCHAR(128) NOT NULL,"
                    + "`queue` INT NOT NULL,"
                    + "`queues` INT NOT NULL,"
                    + "`binlog_name` VARCHAR(255) NOT NULL,"
                    + "`binlog_pos` BIGINT UNSIGNED NOT NULL,"
                    + "`row_idx` INT NOT NULL,"
                    + "PRIMARY KEY (`id`, `queue`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    private boolean hasColumn(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, checkpoint.schema());
            ps.setString(2, checkpoint.table());
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether this source's sync has saved a checkpoint (its dump and load are then behind it). */
    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + checkpoint.quoted() + " WHERE `id` = ? AND `is_global`")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // no checkpoint table (or meta schema) yet
                return false;
            }
            throw e;
        }
    }

    public Optional<SyncCheckpoint> load(Connection c) throws SQLException {
        BinlogPosition position = null;
        BinlogPosition safeUntil = null;
        StartMark start = StartMark.NONE;
        Map<TableName, String> tables = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT `cp_schema`, `cp_table`, `binlog_name`, `binlog_pos`,"
                + " `binlog_gtid`, `exit_safe_binlog_name`, `exit_safe_binlog_pos`, `exit_safe_binlog_gtid`, `table_info`,"
                + " `is_global`, `start_request`, `safe_mode_exit_ts` FROM " + checkpoint.quoted() + " WHERE `id` = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(10)) {
                        position = new BinlogPosition(rs.getString(3), rs.getLong(4), rs.getString(5));
                        String safeName = rs.getString(6);
                        safeUntil = safeName == null ? null : new BinlogPosition(safeName, rs.getLong(7), rs.getString(8));
                        long exitTs = rs.getLong(12);
                        start = new StartMark(rs.getString(11), rs.wasNull() ? null : exitTs);
                    } else {
                        tables.put(new TableName(rs.getString(1), rs.getString(2)), rs.getString(9));
                    }
                }
            }
        }
        return position == null ? Optional.empty() : Optional.of(new SyncCheckpoint(position, safeUntil, start, tables));
    }

    /**
     * Saves the global position and the given table changes in one transaction ({@code c} must not be in
     * auto-commit). {@code changed} maps a table to its new CREATE TABLE; {@code dropped} are forgotten. The
     * caller has drained every queue, so everything before {@code position} is applied and the queue marks,
     * which only matter past the checkpoint, are cleared in the same transaction ({@code clearMarks}) unless
     * an earlier run's marks still lie ahead (a DDL while replaying them). {@code start} is saved with the global row.
     */
    public void save(Connection c, BinlogPosition position, BinlogPosition safeUntil, StartMark start,
                     Map<TableName, String> changed, Set<TableName> dropped, boolean clearMarks) throws SQLException {
        fence.enter(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + checkpoint.quoted() + " (`id`, `cp_schema`,"
                + " `cp_table`, `binlog_name`, `binlog_pos`, `binlog_gtid`, `exit_safe_binlog_name`, `exit_safe_binlog_pos`,"
                + " `exit_safe_binlog_gtid`, `table_info`, `is_global`, `start_request`, `safe_mode_exit_ts`)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE `binlog_name` = VALUES(`binlog_name`), `binlog_pos` = VALUES(`binlog_pos`),"
                + " `binlog_gtid` = VALUES(`binlog_gtid`), `exit_safe_binlog_name` = VALUES(`exit_safe_binlog_name`),"
                + " `exit_safe_binlog_pos` = VALUES(`exit_safe_binlog_pos`),"
                + " `exit_safe_binlog_gtid` = VALUES(`exit_safe_binlog_gtid`), `table_info` = VALUES(`table_info`),"
                + " `start_request` = VALUES(`start_request`), `safe_mode_exit_ts` = VALUES(`safe_mode_exit_ts`)")) {
            bindRow(ps, GLOBAL, GLOBAL, position, safeUntil, null, true, start);
            ps.addBatch();
            for (Map.Entry<TableName, String> e : changed.entrySet()) {
                bindRow(ps, e.getKey().schema(), e.getKey().table(), position, null, e.getValue(), false, StartMark.NONE);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!dropped.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + checkpoint.quoted()
                    + " WHERE `id` = ? AND `cp_schema` = ? AND `cp_table` = ? AND NOT `is_global`")) {
                for (TableName t : dropped) {
                    ps.setString(1, source);
                    ps.setString(2, t.schema());
                    ps.setString(3, t.table());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (clearMarks) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + applied.quoted() + " WHERE `id` = ?")) {
                ps.setString(1, source);
                ps.executeUpdate();
            }
        }
        c.commit();
    }

    private void bindRow(PreparedStatement ps, String schema, String table, BinlogPosition p, BinlogPosition safe,
                         String tableInfo, boolean global, StartMark start) throws SQLException {
        ps.setString(1, source);
        ps.setString(2, schema);
        ps.setString(3, table);
        ps.setString(4, p.file());
        ps.setLong(5, p.pos());
        ps.setString(6, p.gtid());
        ps.setString(7, safe == null ? null : safe.file());
        ps.setObject(8, safe == null ? null : safe.pos());
        ps.setString(9, safe == null ? null : safe.gtid());
        ps.setString(10, tableInfo);
        ps.setBoolean(11, global);
        ps.setString(12, start.request());
        ps.setObject(13, start.safeModeExitTs());
    }

    /** Each queue's last committed change from this source's earlier runs. */
    public Map<Integer, AppliedMark> applied(Connection c) throws SQLException {
        Map<Integer, AppliedMark> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT `queue`, `queues`, `binlog_name`, `binlog_pos`, `row_idx` FROM "
                + applied.quoted() + " WHERE `id` = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), new AppliedMark(rs.getInt(1), rs.getInt(2),
                            new EventSeq(new BinlogPosition(rs.getString(3), rs.getLong(4), ""), rs.getInt(5))));
                }
            }
        }
        return out;
    }

    /** Checks that this run still owns the source downstream: the first statement of each apply transaction. */
    public void enter(Connection c) throws SQLException {
        fence.enter(c);
    }

    /** The statement a queue runs inside each of its transactions; bind with {@link #bindApplied}. */
    public String appliedUpsertSql() {
        return appliedUpsert;
    }

    public void bindApplied(PreparedStatement ps, AppliedMark mark) throws SQLException {
        ps.setString(1, source);
        ps.setInt(2, mark.queue());
        ps.setInt(3, mark.queues());
        ps.setString(4, mark.seq().position().file());
        ps.setLong(5, mark.seq().position().pos());
        ps.setInt(6, mark.seq().row());
    }

    @Override
    public String toString() {
        return checkpoint + " (source " + source + ")";
    }
}
