package io.dmjava.master.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Lists an upstream server's user schemas and base tables (system schemas are never migrated). */
public final class UpstreamCatalog {
    public static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys");

    private UpstreamCatalog() {
    }

    /** Schemas when {@code schema} is null, else the base tables of that schema; sorted. */
    public static List<String> list(Connection c, String schema) throws SQLException {
        String sql = schema == null
                ? "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1"
                : "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1";
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (schema != null) {
                ps.setString(1, schema);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String n = rs.getString(1);
                    if (schema != null || !SYSTEM_SCHEMAS.contains(n)) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }
}
