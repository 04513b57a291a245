package io.dmjava.master.task;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TableName;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The task's downstream, as the master sees it: reachability, and dropping a task's checkpoints. */
final class TargetDatabase {
    private TargetDatabase() {
    }

    static Connection connect(TaskConfig.TargetConfig t, String plainPassword) {
        Properties p = new Properties();
        p.setProperty("user", t.user() == null ? "" : t.user());
        p.setProperty("password", plainPassword == null ? "" : plainPassword);
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "30000");
        String where = t.host() + ":" + (t.port() == null ? 3306 : t.port());
        try {
            return DriverManager.getConnection("jdbc:mariadb://" + where + "/", p);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.TARGET_UNREACHABLE, e, where, firstLine(e.getMessage()));
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

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
