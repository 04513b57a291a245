package io.dmjava.worker.sync.ddl;

import io.dmjava.model.task.TableName;

/**
 * A database or table name as written in a statement, resolved against the current schema.
 *
 * @param role   what the name is to the statement
 * @param schema the database, qualified with the current schema when the text did not name one
 * @param table  the table, or null for a {@link Role#SCHEMA} reference
 * @param start  offset of the name's first character in the statement (quotes included)
 * @param end    offset after the name's last character; equal to {@code start} for the implicit
 *               database of {@code ALTER DATABASE} without a name (a rewrite inserts it there)
 */
public record NameRef(Role role, String schema, String table, int start, int end) {
    /** What a name is to its statement. */
    public enum Role {
        /** The database of CREATE/DROP/ALTER DATABASE. */
        SCHEMA,
        /** A table the statement acts on: created, dropped, altered, truncated, indexed, renamed from. */
        TABLE,
        /** The new name of the preceding {@link #TABLE} in RENAME TABLE or ALTER TABLE ... RENAME. */
        NEW_NAME,
        /** The table copied by CREATE TABLE ... LIKE. */
        LIKE_SOURCE,
        /** Another table the statement depends on: a FOREIGN KEY parent, EXCHANGE PARTITION ... WITH TABLE. */
        REFERENCED
    }

    public TableName tableName() {
        return table == null ? null : new TableName(schema, table);
    }

    boolean isImplicit() {
        return start == end;
    }
}
