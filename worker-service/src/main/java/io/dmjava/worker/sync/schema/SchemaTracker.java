package io.dmjava.worker.sync.schema;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.sync.ddl.DdlParser;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Knows every replicated upstream table's structure as of the current binlog position, so that row images
 * (which carry values, not always names and never keys) become statements with the right columns even after
 * DDL. The structures live in private shadow databases on the downstream server, one per upstream database
 * ({@code dmtrk_<task/source hash>_<db hash>}): each upstream DDL runs there with its names rewritten, so the
 * server itself, not a re-implemented parser, works out what an ALTER does. The shadow copies are rebuilt
 * from the checkpoint at every start, so they always match the position replication resumes from.
 */
public final class SchemaTracker {
    private final Connection conn;
    private final String prefix;
    private final Map<String, String> shadowToUpstream = new HashMap<>();
    private final Map<TableName, TableSchema> cache = new HashMap<>();
    private final Set<TableName> dirty = new HashSet<>();
    private final Set<TableName> dropped = new HashSet<>();

    /**
     * @param conn a downstream connection in auto-commit mode, used only by the tracker
     * @param owner identifies the task and source (the shadow databases of different subtasks never meet)
     */
    public SchemaTracker(Connection conn, String owner) throws SQLException {
        this.conn = conn;
        this.prefix = "dmtrk_" + hash(owner);
        try (Statement st = conn.createStatement()) {
            st.execute("SET SESSION foreign_key_checks = 0");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'");
        }
    }

    /**
     * The connection the tracker writes its shadow tables on: its DDL commits by itself, so a caller that must fence
     * those writes (see {@code Fence#ddl}) holds the lock on this connection.
     */
    public Connection connection() {
        return conn;
    }

    /** The shadow database holding the tables of upstream database {@code upstreamDb}. */
    public String shadowDb(String upstreamDb) {
        String name = prefix + "_" + hash(upstreamDb);
        shadowToUpstream.put(name, upstreamDb);
        return name;
    }

    /** Maps an upstream table to its shadow copy. */
    public TableName shadow(TableName upstream) {
        return new TableName(shadowDb(upstream.schema()), upstream.table());
    }

    /** Drops every shadow database of this subtask and recreates the given tables (upstream name -> CREATE TABLE). */
    public void restore(Map<TableName, String> tables) throws SQLException {
        List<String> existing = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?")) {
            ps.setString(1, prefix.replace("_", "\\_") + "\\_%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        try (Statement st = conn.createStatement()) {
            for (String db : existing) {
                st.execute("DROP DATABASE IF EXISTS " + SqlText.quote(db));
            }
        }
        cache.clear();
        dirty.clear();
        dropped.clear();
        for (Map.Entry<TableName, String> e : tables.entrySet()) {
            create(e.getKey(), e.getValue());
        }
        dirty.clear(); // they are exactly what the checkpoint holds already
    }

    /**
     * Adds a table from a {@code SHOW CREATE TABLE} text (of the upstream table, or of its downstream copy,
     * whatever name it gives); replaces any shadow copy of the same name.
     */
    public void create(TableName upstream, String createTable) throws SQLException {
        String db = shadowDb(upstream.schema());
        // The statement may name another table (a routed downstream copy seeds a shard): it is renamed.
        ParsedDdl parsed = DdlParser.parse(upstream.schema(), createTable);
        TableName named = parsed.table();
        String sql = named == null ? createTable : parsed.rewrite(t -> t.equals(named) ? shadow(upstream) : shadow(t));
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(db));
            st.execute("USE " + SqlText.quote(db));
            st.execute("DROP TABLE IF EXISTS " + SqlText.quote(upstream.table()));
            st.execute(sql);
        }
        changed(upstream);
    }

    /**
     * Runs a DDL already rewritten to shadow names (see {@link #shadow}); {@code currentUpstreamDb} is the
     * session database the statement ran in upstream. The caller names the tables it affects with
     * {@link #changed} / {@link #forget} / {@link #forgetSchema}.
     */
    public void execute(String currentUpstreamDb, String shadowSql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            if (currentUpstreamDb != null && !currentUpstreamDb.isEmpty()) {
                String db = shadowDb(currentUpstreamDb);
                st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(db));
                st.execute("USE " + SqlText.quote(db));
            }
            st.execute(shadowSql);
        }
    }

    /** Makes sure the shadow database of {@code upstreamDb} exists (a table DDL may follow a CREATE DATABASE we restored past). */
    public void ensureSchema(String upstreamDb) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(shadowDb(upstreamDb)));
        }
    }

    /** The table's structure changed (created, altered, renamed to): re-read it and persist it at the next flush. */
    public void changed(TableName upstream) {
        cache.remove(upstream);
        dropped.remove(upstream);
        dirty.add(upstream);
    }

    /**
     * Re-reads whether the table exists in its shadow copy after a DDL: then it changed (and is persisted at
     * the next checkpoint), else it is gone.
     */
    public void refresh(TableName upstream) throws SQLException {
        if (showCreate(upstream) != null) {
            changed(upstream);
        } else {
            forget(upstream);
        }
    }

    /** The table no longer exists upstream. */
    public void forget(TableName upstream) {
        cache.remove(upstream);
        dirty.remove(upstream);
        dropped.add(upstream);
    }

    /** Every table of the database was dropped upstream. */
    public void forgetSchema(String upstreamDb) throws SQLException {
        for (TableName t : List.copyOf(cache.keySet())) {
            if (t.schema().equals(upstreamDb)) {
                forget(t);
            }
        }
        for (String table : shadowTables(upstreamDb)) {
            forget(new TableName(upstreamDb, table));
        }
        for (TableName t : List.copyOf(dirty)) {
            if (t.schema().equals(upstreamDb)) {
                forget(t);
            }
        }
    }

    /** The tables the shadow copy of {@code upstreamDb} holds now. */
    public List<String> shadowTables(String upstreamDb) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, shadowDb(upstreamDb));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The table's structure, or null when the tracker does not know the table. */
    public TableSchema table(TableName upstream) throws SQLException {
        TableSchema cached = cache.get(upstream);
        if (cached != null) {
            return cached;
        }
        TableSchema read = read(upstream);
        if (read != null) {
            cache.put(upstream, read);
        }
        return read;
    }

    /**
     * The CREATE TABLE of each table changed since the last call, and the tables dropped since, then forgets
     * both (call it when the checkpoint is about to be saved).
     */
    public Changes drainChanges() throws SQLException {
        Map<TableName, String> creates = new LinkedHashMap<>();
        Set<TableName> gone = new HashSet<>(dropped);
        for (TableName t : dirty) {
            String create = showCreate(t);
            if (create == null) {
                gone.add(t);
            } else {
                creates.put(t, create);
            }
        }
        dirty.clear();
        dropped.clear();
        return new Changes(creates, gone);
    }

    /** Tables to persist and tables to forget at a checkpoint. */
    public record Changes(Map<TableName, String> created, Set<TableName> dropped) {
    }

    private String showCreate(TableName upstream) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + shadow(upstream).quoted())) {
            return rs.next() ? rs.getString(2) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // no such table / database
                return null;
            }
            throw e;
        }
    }

    private TableSchema read(TableName upstream) throws SQLException {
        TableName shadow = shadow(upstream);
        List<ColumnSchema> columns = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                + " COLLATION_NAME, IS_NULLABLE, IS_GENERATED FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, shadow.schema());
            ps.setString(2, shadow.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String columnType = rs.getString(3).toLowerCase(java.util.Locale.ROOT);
                    columns.add(new ColumnSchema(rs.getString(1), rs.getString(2).toLowerCase(java.util.Locale.ROOT),
                            columnType, columnType.contains("unsigned"), rs.getString(4), rs.getString(5),
                            "ALWAYS".equalsIgnoreCase(rs.getString(7)), "YES".equals(rs.getString(6))));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        Map<String, List<String>> uniques = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME = 'PRIMARY' DESC,"
                + " INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, shadow.schema());
            ps.setString(2, shadow.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uniques.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        List<String> pk = uniques.getOrDefault("PRIMARY", List.of());
        List<List<String>> uks = uniques.entrySet().stream().filter(e -> !e.getKey().equals("PRIMARY"))
                .map(Map.Entry::getValue).toList();
        return new TableSchema(upstream.schema(), upstream.table(), columns, pk, uks);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
