package io.dmjava.worker.dump;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads from information_schema which base tables the router selects, with their columns and chunking key. */
public final class TableCatalog {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys");

    private TableCatalog() {
    }

    /** The selected tables, ordered by schema then table name. */
    public static List<TableInfo> read(Connection connection, TableRouter router) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String schema = rs.getString(1);
                if (!SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT)) && router.schemaMayMatch(schema)) {
                    schemas.add(schema);
                }
            }
        }
        if (schemas.isEmpty()) {
            return List.of();
        }
        Map<TableName, long[]> stats = new TreeMap<>((a, b) -> a.schema().equals(b.schema())
                ? a.table().compareTo(b.table()) : a.schema().compareTo(b.schema()));
        String in = String.join(",", Collections.nCopies(schemas.size(), "?"));
        try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, AVG_ROW_LENGTH"
                + " FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" + in + ")")) {
            bind(ps, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableName name = new TableName(rs.getString(1), rs.getString(2));
                    if (router.route(name.schema(), name.table()).isPresent()) {
                        stats.put(name, new long[] {rs.getLong(3), rs.getLong(4)});
                    }
                }
            }
        }
        Map<TableName, List<ColumnInfo>> columns = readColumns(connection, schemas, in);
        Map<TableName, Map<String, List<String>>> uniqueKeys = readUniqueKeys(connection, schemas, in);
        List<TableInfo> tables = new ArrayList<>();
        for (Map.Entry<TableName, long[]> e : stats.entrySet()) {
            List<ColumnInfo> cols = columns.getOrDefault(e.getKey(), List.of());
            KeyInfo key = chooseKey(cols, uniqueKeys.getOrDefault(e.getKey(), Map.of()));
            tables.add(new TableInfo(e.getKey(), cols, key, e.getValue()[0], e.getValue()[1]));
        }
        return tables;
    }

    private static Map<TableName, List<ColumnInfo>> readColumns(Connection c, List<String> schemas, String in) throws SQLException {
        Map<TableName, List<ColumnInfo>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                + " CHARACTER_SET_NAME, COLLATION_NAME, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (" + in + ")"
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
            bind(ps, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(8) == null ? "" : rs.getString(8).toUpperCase(Locale.ROOT);
                    // MySQL and MariaDB say VIRTUAL GENERATED / STORED GENERATED (older MariaDB: PERSISTENT GENERATED).
                    boolean generated = extra.contains("GENERATED") && !extra.contains("DEFAULT_GENERATED");
                    out.computeIfAbsent(new TableName(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(new ColumnInfo(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                    rs.getString(7), generated));
                }
            }
        }
        return out;
    }

    /** Per table: unique index name -> its columns in order, only for indexes with all columns NOT NULL. */
    private static Map<TableName, Map<String, List<String>>> readUniqueKeys(Connection c, List<String> schemas, String in)
            throws SQLException {
        Map<TableName, Map<String, List<String>>> out = new HashMap<>();
        Map<TableName, Set<String>> unusable = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME, NULLABLE"
                + " FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 AND TABLE_SCHEMA IN (" + in + ")"
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
            bind(ps, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableName t = new TableName(rs.getString(1), rs.getString(2));
                    String index = rs.getString(3);
                    String column = rs.getString(4);
                    String nullable = rs.getString(5);
                    // Functional key parts (MySQL 8) have no column; NULL-able parts let rows escape every range.
                    if (column == null || (nullable != null && !nullable.isEmpty() && !"NO".equalsIgnoreCase(nullable))) {
                        unusable.computeIfAbsent(t, k -> new java.util.HashSet<>()).add(index);
                    }
                    out.computeIfAbsent(t, k -> new LinkedHashMap<>()).computeIfAbsent(index, k -> new ArrayList<>()).add(column);
                }
            }
        }
        unusable.forEach((t, names) -> names.forEach(out.get(t)::remove));
        return out;
    }

    private static KeyInfo chooseKey(List<ColumnInfo> columns, Map<String, List<String>> uniqueKeys) {
        List<String> chosen = uniqueKeys.get("PRIMARY");
        String index = "PRIMARY";
        if (chosen == null) {
            // information_schema lists indexes by name; "first" is the first by name, which is stable.
            for (Map.Entry<String, List<String>> e : new TreeMap<>(uniqueKeys).entrySet()) {
                index = e.getKey();
                chosen = e.getValue();
                break;
            }
        }
        if (chosen == null) {
            return null;
        }
        Map<String, ColumnInfo> byName = new HashMap<>();
        columns.forEach(c -> byName.put(c.name().toLowerCase(Locale.ROOT), c));
        List<ColumnInfo> keyColumns = new ArrayList<>();
        for (String name : chosen) {
            ColumnInfo col = byName.get(name.toLowerCase(Locale.ROOT));
            if (col == null) {
                return null;
            }
            keyColumns.add(col);
        }
        return new KeyInfo(index, keyColumns);
    }

    private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }
}
