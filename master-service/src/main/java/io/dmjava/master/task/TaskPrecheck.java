package io.dmjava.master.task;

import io.dmjava.master.source.UpstreamProbe;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks run when a task starts, per source, with DM's check-item names so that
 * {@code ignore_checking_items} can skip them: the source server's settings and privileges (binlog
 * items only when the task replicates), its version, and tables without a primary or unique key
 * (a warning: they migrate, but slower and without safe replay).
 */
final class TaskPrecheck {
    /** Errors block the start; warnings are reported and the task starts. */
    record Outcome(List<String> errors, List<String> warnings) {
    }

    private static final Set<String> BINLOG_ITEMS = Set.of("server_id", "binlog_enable", "binlog_format",
            "binlog_row_image", "replication_privilege");

    private final UpstreamProbe probe = new UpstreamProbe();

    Outcome check(String source, Connection upstream, TableRouter router, boolean replicates, Set<String> ignored)
            throws SQLException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        UpstreamProbe.Result r = probe.probe(upstream);
        for (UpstreamProbe.Problem p : r.problems()) {
            if (ignored.contains(p.item()) || ignored.contains("all") || (!replicates && BINLOG_ITEMS.contains(p.item()))) {
                continue;
            }
            errors.add(source + " " + p);
        }
        if (!ignored.contains("version") && !versionSupported(r.flavor(), r.version())) {
            errors.add(source + " version: " + r.flavor() + " " + r.version()
                    + " is not supported (MySQL 5.7+ or MariaDB 10.3+); upgrade it or ignore 'version' at your own risk");
        }
        if (!ignored.contains("table_schema")) {
            for (TableName t : tablesWithoutKey(upstream, router)) {
                warnings.add(source + " table_schema: table " + t + " has no primary or unique key; it migrates, but "
                        + "replication cannot tell its rows apart: add a primary key if you can");
            }
        }
        return new Outcome(errors, warnings);
    }

    static boolean versionSupported(String flavor, String version) {
        String[] parts = version.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return flavor.equals("mariadb") ? (major > 10 || (major == 10 && minor >= 3)) : (major > 5 || (major == 5 && minor >= 7));
        } catch (RuntimeException unparseable) {
            return true;
        }
    }

    private static List<TableName> tablesWithoutKey(Connection c, TableRouter router) throws SQLException {
        String sql = "SELECT t.TABLE_SCHEMA, t.TABLE_NAME FROM information_schema.TABLES t WHERE t.TABLE_TYPE = 'BASE TABLE' "
                + "AND t.TABLE_SCHEMA NOT IN ('mysql','information_schema','performance_schema','sys') "
                + "AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS k WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA "
                + "AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE IN ('PRIMARY KEY','UNIQUE'))";
        List<TableName> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String table = rs.getString(2);
                if (router.route(schema, table).isPresent()) {
                    out.add(new TableName(schema, table));
                }
            }
        }
        return out;
    }
}
