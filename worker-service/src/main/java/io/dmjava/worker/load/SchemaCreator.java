package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.unit.UnitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the routed target schemas and tables from the dumped CREATE statements, keeping whatever already
 * exists downstream: a resumed load, or several shards merged into one table. A table that does not exist yet
 * is recorded in {@link TableMarkers} first; the source that recorded it creates it without its plain secondary
 * indexes ({@link IndexDeferral}), their definitions kept in the table's comment ({@link PendingIndexes}) until
 * they are added. A table that existed before the task is left exactly as it is.
 */
final class SchemaCreator {
    /** ER_TABLE_EXISTS_ERROR: another source's load created the table first (with its full definition). */
    private static final int ER_TABLE_EXISTS = 1050;

    private final DumpFiles files;
    private final TableMarkers markers;
    private final String source;
    private final boolean deferIndexes;

    SchemaCreator(DumpFiles files, TableMarkers markers, String source, boolean deferIndexes) {
        this.files = files;
        this.markers = markers;
        this.source = source;
        this.deferIndexes = deferIndexes;
    }

    /**
     * @param tables the dumped tables
     * @param routes each dumped table's target
     * @return every target table, in the order of the first table routed to it
     */
    Map<TableName, TargetTable> create(Connection c, List<DumpMetadata.SchemaDump> schemas,
                                       List<DumpMetadata.TableDump> tables, Map<DumpMetadata.TableDump, TableName> routes)
            throws SQLException {
        Set<String> createdSchemas = new HashSet<>();
        Map<TableName, TableMarkers.Marker> known = markers.all(c);
        String dumpDir = files.dumpId();
        Map<TableName, TargetTable> out = new LinkedHashMap<>();
        for (DumpMetadata.TableDump table : tables) {
            TableName target = routes.get(table);
            if (createdSchemas.add(target.schema())) {
                String options = schemas.stream().filter(s -> s.schema().equals(table.schema())).findFirst()
                        .map(s -> databaseOptions(read(s.file()), s.schema())).orElse("");
                execute(c, "CREATE DATABASE IF NOT EXISTS " + SqlText.quote(target.schema()) + options, target.schema());
            }
            if (out.containsKey(target)) {
                continue; // a second table merged into the same target: the first one's definition counts
            }
            String dumped = read(table.schemaFile());
            TableMarkers.Marker marker = known.get(target);
            boolean exists = PendingIndexes.comment(c, target).isPresent();
            if (marker == null && !exists) {
                TableMarkers.Marker mine = new TableMarkers.Marker(target, source, dumpDir);
                marker = markers.claim(c, mine) ? mine : markers.all(c).get(target);
            }
            boolean owned = marker != null && marker.source().equals(source);
            if (!exists && owned && deferIndexes) {
                createDeferred(c, dumped, table, target);
            } else if (!exists) {
                execute(c, createTable(dumped, table, target), target.toString());
            }
            // What is still missing is read from the table itself: after remove_meta dropped the markers, a table
            // this task created still carries its record. A table another source created is that source's to finish.
            List<IndexDeferral.DeferredIndex> pending = marker == null || owned
                    ? PendingIndexes.read(c, target).map(PendingIndexes::indexes).orElse(List.of()) : List.of();
            out.put(target, new TargetTable(target, owned && marker.dumpDir().equals(dumpDir), pending));
        }
        return out;
    }

    /**
     * Creates {@code target} without its deferrable indexes, their record in its comment. Built under a scratch
     * name and renamed into place, so the table never exists without its record: the original comment is
     * known only once the server has parsed the statement.
     */
    private void createDeferred(Connection c, String dumped, DumpMetadata.TableDump table, TableName target)
            throws SQLException {
        IndexDeferral deferral = IndexDeferral.of(dumped);
        if (deferral.deferred().isEmpty()) {
            execute(c, createTable(dumped, table, target), target.toString());
            return;
        }
        TableName scratch = scratchName(target);
        execute(c, "DROP TABLE IF EXISTS " + scratch.quoted(), scratch.toString()); // left by a crash
        execute(c, createTable(deferral.createTable(), table, scratch), scratch.toString());
        String original = PendingIndexes.comment(c, scratch).orElse("");
        Optional<String> comment = new PendingIndexes(original, deferral.deferred()).comment();
        if (comment.isEmpty()) {
            execute(c, "DROP TABLE " + scratch.quoted(), scratch.toString());
            execute(c, createTable(dumped, table, target), target.toString());
            return;
        }
        execute(c, "ALTER TABLE " + scratch.quoted() + " COMMENT = " + SqlText.literal(comment.get()), scratch.toString());
        try (Statement st = c.createStatement()) {
            st.execute("RENAME TABLE " + scratch.quoted() + " TO " + target.quoted());
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_TABLE_EXISTS) {
                throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, e, target, SqlErrors.describe(e));
            }
            execute(c, "DROP TABLE IF EXISTS " + scratch.quoted(), scratch.toString());
        }
    }

    /** A name of at most 24 characters, the same for every attempt of this task to create {@code target}. */
    private TableName scratchName(TableName target) {
        String key = markers.table() + "\0" + target;
        return new TableName(target.schema(), "_dm_new_" + SqlText.hex(sha256(key)).substring(0, 16));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The upstream CREATE TABLE with its name replaced by the routed one and IF NOT EXISTS added. */
    static String createTable(String showCreate, DumpMetadata.TableDump table, TableName target) {
        String prefix = "CREATE TABLE " + SqlText.quote(table.table());
        if (!showCreate.startsWith(prefix)) {
            throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, target,
                    "the dumped statement does not start with " + prefix);
        }
        return "CREATE TABLE IF NOT EXISTS " + target.quoted() + showCreate.substring(prefix.length());
    }

    /** The part after the name in SHOW CREATE DATABASE, e.g. the default character set comment. */
    static String databaseOptions(String showCreate, String schema) {
        String prefix = "CREATE DATABASE " + SqlText.quote(schema);
        return showCreate.startsWith(prefix) ? showCreate.substring(prefix.length()) : "";
    }

    private String read(String relative) {
        try {
            return Files.readString(files.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnitException(ErrorCode.LOAD_CHUNK_CORRUPT, e, files.resolve(relative), e.getMessage());
        }
    }

    private static void execute(Connection c, String sql, String what) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, e, what, SqlErrors.describe(e));
        }
    }
}
