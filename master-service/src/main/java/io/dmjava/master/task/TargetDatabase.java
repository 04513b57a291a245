package io.dmjava.master.task;

import io.dmjava.master.db.MasterJdbc;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TableName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The task's downstream, as the master sees it: reachability, and dropping a task's checkpoints. */
final class TargetDatabase {
    private TargetDatabase() {
    }

    static Connection connect(TaskConfig.TargetConfig t, String plainPassword) {
        int port = t.port() == null ? 3306 : t.port();
        String where = t.host() + ":" + port;
        try {
            return MasterJdbc.connect(t.host(), port, t.user(), plainPassword);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.TARGET_UNREACHABLE, e, where, MasterJdbc.firstLine(e.getMessage()));
        }
    }

    /** Drops every meta table of the task ({@code <meta>.<task>_*}): the next start begins from scratch. */
    static List<String> dropTaskMeta(Connection c, String metaSchema, String task) throws SQLException {
        List<String> tables = new ArrayList<>();
        String like = task.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_%";
        try (var ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ?")) {
            ps.setString(1, metaSchema);
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String t : tables) {
                s.execute("DROP TABLE IF EXISTS " + new TableName(metaSchema, t).quoted());
            }
        }
        return tables;
    }
}
