package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Which target tables this task's load created, in {@code <meta_schema>.<task>_loader_table}: one row per
 * table, written <em>before</em> the table is created, naming the source whose load created it and the dump
 * directory (one per task generation) it was created for, named by {@link io.dmjava.worker.dump.DumpFiles#dumpId()}
 * so that it means the same run on every worker (a worker taking the subtask over owns what the dead one created). Only that source creates the table (so only it
 * defers indexes), and it may drop the table and load it again when the dump of the same generation is
 * taken again. The indexes still to add are not recorded here but in the table ({@link PendingIndexes}):
 * {@code remove_meta} drops this table.
 */
final class TableMarkers {
    /** A created table: which source's load created it, for which dump directory. */
    record Marker(TableName target, String source, String dumpDir) {
    }

    private final TableName table;

    TableMarkers(String metaSchema, String taskName) {
        this.table = new TableName(metaSchema, taskName + "_loader_table");
    }

    TableName table() {
        return table;
    }

    void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(table.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + table.quoted() + " ("
                    + "`target_schema` VARCHAR(64) NOT NULL,"
                    + "`target_table` VARCHAR(64) NOT NULL,"
                    + "`source` VARCHAR(128) NOT NULL,"
                    + "`dump_dir` VARCHAR(1024) NOT NULL,"
                    + "`create_time` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                    + "PRIMARY KEY (`target_schema`, `target_table`)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    /** Every marker of the task, by target. */
    Map<TableName, Marker> all(Connection c) throws SQLException {
        Map<TableName, Marker> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT `target_schema`, `target_table`,"
                + " `source`, `dump_dir` FROM " + table.quoted())) {
            while (rs.next()) {
                TableName t = new TableName(rs.getString(1), rs.getString(2));
                out.put(t, new Marker(t, rs.getString(3), rs.getString(4)));
            }
        }
        return out;
    }

    /** Records {@code marker} before its table is created; false when another load recorded the table first. */
    boolean claim(Connection c, Marker marker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.quoted()
                + " (`target_schema`, `target_table`, `source`, `dump_dir`) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, marker.target().schema());
            ps.setString(2, marker.target().table());
            ps.setString(3, marker.source());
            ps.setString(4, marker.dumpDir());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Forgets every table {@code source} created for the dump in {@code dumpDir} (after they were dropped). */
    void clear(Connection c, String source, String dumpDir) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.quoted()
                + " WHERE `source` = ? AND `dump_dir` = ?")) {
            ps.setString(1, source);
            ps.setString(2, dumpDir);
            ps.executeUpdate();
        }
    }
}
