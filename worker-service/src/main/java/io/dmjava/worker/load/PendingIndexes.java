package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.load.IndexDeferral.DeferredIndex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The deferred indexes a table still has to get, recorded in the table's own comment, after the upstream's,
 * from the moment the table exists (it is created with it) until the indexes are added and the comment is
 * restored. The record lives in the table rather than in the meta schema because it must live exactly as long
 * as the table: {@code remove_meta} drops the task's meta tables but keeps the target tables, so a record
 * there could vanish while a table still lacks its indexes; and a table dropped downstream (perhaps created
 * again by the user) takes its record with it, so a table the task did not create is never altered.
 *
 * @param original the table's comment without the record (the upstream's), restored once the indexes are in
 * @param indexes  the deferred indexes, in their original order
 */
record PendingIndexes(String original, List<DeferredIndex> indexes) {
    /** Starts the record; a line of its own, so that no upstream comment is mistaken for one by accident. */
    static final String MARK = "\n-- dm-java: secondary indexes still to add --\n";
    /** The longest table comment MariaDB, MySQL and TiDB accept. */
    static final int MAX_COMMENT_CHARS = 2048;

    PendingIndexes {
        indexes = List.copyOf(indexes);
    }

    /** The comment carrying the record, or empty when it would not fit (the table then defers nothing). */
    Optional<String> comment() {
        // SHOW CREATE TABLE never puts a line break inside a key definition, so one definition a line.
        String c = original + MARK + String.join("\n", indexes.stream().map(DeferredIndex::definition).toList());
        return c.length() <= MAX_COMMENT_CHARS ? Optional.of(c) : Optional.empty();
    }

    /** The record in {@code comment}, if it holds one. */
    static Optional<PendingIndexes> parse(String comment) {
        int at = comment.lastIndexOf(MARK);
        if (at < 0) {
            return Optional.empty();
        }
        List<DeferredIndex> out = new ArrayList<>();
        for (String d : comment.substring(at + MARK.length()).split("\n")) {
            String name = IndexDeferral.keyName(d);
            if (name == null) {
                return Optional.empty(); // not a record this class wrote
            }
            out.add(new DeferredIndex(name, d));
        }
        return Optional.of(new PendingIndexes(comment.substring(0, at), out));
    }

    /** The record of table {@code t}; empty when it has none (or does not exist). */
    static Optional<PendingIndexes> read(Connection c, TableName t) throws SQLException {
        return comment(c, t).flatMap(PendingIndexes::parse);
    }

    /** The table's comment as the server stores it (unescaped); empty when the table does not exist. */
    static Optional<String> comment(Connection c, TableName t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_COMMENT FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) == null ? "" : rs.getString(1)) : Optional.empty();
            }
        }
    }
}
