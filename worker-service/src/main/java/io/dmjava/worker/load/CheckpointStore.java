package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.fence.Fence;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The loader checkpoint: one row per imported chunk in {@code <meta_schema>.<task>_loader_checkpoint},
 * inserted in the same downstream transaction as the chunk's rows. A chunk is imported iff its row exists,
 * so a crash at any moment neither loses nor repeats a chunk. The row also records the binlog position the
 * chunk was read at, which is what a worker taking over needs from it (the files are on the dead one).
 */
public final class CheckpointStore {
    /**
     * The binlog position the chunk was read at: with chunks read from several snapshots (a plan continued on
     * another worker), the sync unit starts at the smallest and keeps safe mode until past the largest.
     */
    private static final String POSITION_COLUMNS = "`binlog_name` VARCHAR(255) NOT NULL DEFAULT '',"
            + "`binlog_pos` BIGINT NOT NULL DEFAULT 0,"
            + "`binlog_gtid` TEXT NULL";

    private final TableName table;
    private final Fence fence;

    public CheckpointStore(String metaSchema, String taskName) {
        this(metaSchema, taskName, Fence.NONE);
    }

    /** @param fence entered first by every transaction that writes chunks or this table (see docs/ha.md) */
    public CheckpointStore(String metaSchema, String taskName, Fence fence) {
        this.table = new TableName(metaSchema, taskName + "_loader_checkpoint");
        this.fence = fence;
    }

    /** Runs statements that commit by themselves (DDL) on {@code c} only while this run owns the source. */
    public void ddl(Connection c, Fence.SqlWork work) throws SQLException {
        fence.ddl(c, work);
    }

    public TableName table() {
        return table;
    }

    /** Creates the meta schema and the checkpoint table if missing. */
    public void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(table.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + table.quoted() + " ("
                    + "`source` VARCHAR(128) NOT NULL,"
                    + "`chunk_id` VARCHAR(64) NOT NULL,"
                    + "`snapshot_id` VARCHAR(64) NOT NULL,"
                    + "`target_table` VARCHAR(600) NOT NULL,"
                    + "`chunk_file` VARCHAR(600) NOT NULL,"
                    + "`chunk_rows` BIGINT NOT NULL,"
                    + "`chunk_bytes` BIGINT NOT NULL,"
                    + "`create_time` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                    + POSITION_COLUMNS + ","
                    + "PRIMARY KEY (`source`, `chunk_id`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
        addPositionColumns(c);
    }

    /** A table created before chunks recorded their positions gets the columns (its rows: position unknown). */
    private void addPositionColumns(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = 'binlog_name'")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + table.quoted() + " ADD COLUMN (" + POSITION_COLUMNS + ")");
        }
    }

    /**
     * Chunk id -> the chunk as loaded from the dump plan {@code snapshotId} of {@code source} (no file: it may be
     * on another worker), with the binlog position it was read at ({@link BinlogPosition#UNKNOWN} when not recorded).
     */
    public Map<String, ChunkDump> loaded(Connection c, String source, String snapshotId) throws SQLException {
        Map<String, ChunkDump> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT `chunk_id`, `chunk_rows`, `chunk_bytes`, `binlog_name`,"
                + " `binlog_pos`, `binlog_gtid` FROM " + table.quoted() + " WHERE `source` = ? AND `snapshot_id` = ?")) {
            ps.setString(1, source);
            ps.setString(2, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ChunkDump(rs.getString(1), null, rs.getLong(2), rs.getLong(3),
                            new BinlogPosition(rs.getString(4), rs.getLong(5), rs.getString(6))));
                }
            }
        }
        return out;
    }

    /** Chunk id -> snapshot id of every chunk already imported from {@code source}. */
    public Map<String, String> finished(Connection c, String source) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT `chunk_id`, `snapshot_id` FROM " + table.quoted()
                + " WHERE `source` = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Inserts the chunk's row inside the caller's open transaction, before its data: the row lock then
     * serialises any second loader of the same chunk. Returns false when the chunk was already imported.
     */
    public boolean claim(Connection c, String source, String snapshotId, String chunkId, TableName target,
                         String file, long rows, long bytes, BinlogPosition position) throws SQLException {
        fence.enter(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.quoted()
                + " (`source`, `chunk_id`, `snapshot_id`, `target_table`, `chunk_file`, `chunk_rows`, `chunk_bytes`,"
                + " `binlog_name`, `binlog_pos`, `binlog_gtid`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            BinlogPosition p = position == null ? BinlogPosition.UNKNOWN : position;
            ps.setString(8, p.file());
            ps.setLong(9, p.pos());
            ps.setString(10, p.gtid());
            ps.setString(1, source);
            ps.setString(2, chunkId);
            ps.setString(3, snapshotId);
            ps.setString(4, target.toString());
            ps.setString(5, file);
            ps.setLong(6, rows);
            ps.setLong(7, bytes);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The targets ({@link TableName#toString()}) of the chunks of {@code source} imported from another snapshot. */
    public Set<String> targetsOfOtherSnapshots(Connection c, String source, String snapshotId) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT `target_table` FROM " + table.quoted()
                + " WHERE `source` = ? AND `snapshot_id` <> ?")) {
            ps.setString(1, source);
            ps.setString(2, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Forgets every chunk of {@code source} (for a fresh load after the target was cleared). */
    public void clear(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.quoted() + " WHERE `source` = ?")) {
            ps.setString(1, source);
            ps.executeUpdate();
        }
    }
}
