package io.dmjava.worker.sync.ddl;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.sync.ddl.NameRef.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A statement of a binlog QUERY event as {@link DdlParser} read it: its kind and every database or
 * table name in it, with where each one is written so that it can be replaced.
 *
 * @param sql           the statement as logged
 * @param currentSchema the session's default database (null when none), which qualified bare names
 * @param kind          what the statement is
 * @param ifExists      {@code IF EXISTS} was given (DROP, ALTER TABLE, RENAME TABLE on MariaDB)
 * @param ifNotExists   {@code IF NOT EXISTS} was given (CREATE)
 * @param orReplace     MariaDB's {@code CREATE OR REPLACE}: the object is dropped first if it exists
 * @param refs          the names in order of appearance; empty for {@link DdlKind#NOT_DDL} and
 *                      {@link DdlKind#OTHER_DDL}
 */
public record ParsedDdl(String sql, String currentSchema, DdlKind kind, boolean ifExists, boolean ifNotExists,
                        boolean orReplace, List<NameRef> refs) {
    public ParsedDdl {
        refs = List.copyOf(refs);
    }

    /** A table renamed by RENAME TABLE or ALTER TABLE ... RENAME. */
    public record Rename(TableName from, TableName to) {
    }

    /** DM's binlog event filter name of this statement ({@code "drop table"}, ...), or null when none. */
    public String eventType() {
        return kind.eventType();
    }

    /** The tables the statement acts on, in order (several for DROP TABLE and RENAME TABLE). */
    public List<TableName> tables() {
        return names(Role.TABLE);
    }

    /** The first table the statement acts on, or null for database DDL and statements that are not replicated. */
    public TableName table() {
        List<TableName> tables = tables();
        return tables.isEmpty() ? null : tables.get(0);
    }

    /**
     * The database the statement belongs to: the one named by database DDL, else that of the first
     * table, else the session's.
     */
    public String schemaName() {
        for (NameRef r : refs) {
            if (r.role() == Role.SCHEMA || r.role() == Role.TABLE) {
                return r.schema();
            }
        }
        return currentSchema;
    }

    /** Old and new names of RENAME TABLE (each pair) and ALTER TABLE ... RENAME (one pair). */
    public List<Rename> renames() {
        List<Rename> out = new ArrayList<>();
        NameRef from = null;
        for (NameRef r : refs) {
            if (r.role() == Role.TABLE) {
                from = r;
            } else if (r.role() == Role.NEW_NAME && from != null) {
                out.add(new Rename(from.tableName(), r.tableName()));
            }
        }
        return out;
    }

    /** The table copied by CREATE TABLE ... LIKE, or null. */
    public TableName likeSource() {
        List<TableName> sources = names(Role.LIKE_SOURCE);
        return sources.isEmpty() ? null : sources.get(0);
    }

    /** FOREIGN KEY parents and the partner of EXCHANGE PARTITION, in order of appearance. */
    public List<TableName> referencedTables() {
        return names(Role.REFERENCED);
    }

    /**
     * One statement per table for multi-table DROP TABLE and RENAME TABLE, so that filters and routes
     * can treat each table on its own; any other statement is returned alone. The text before the first
     * name and after the last one (IF EXISTS, comments, RESTRICT, ...) is kept in every part.
     */
    public List<ParsedDdl> split() {
        List<NameRef> tables = refs.stream().filter(r -> r.role() == Role.TABLE).toList();
        if (tables.size() < 2 || (kind != DdlKind.DROP_TABLE && kind != DdlKind.RENAME_TABLE)) {
            return List.of(this);
        }
        String head = sql.substring(0, refs.get(0).start());
        String tail = sql.substring(refs.get(refs.size() - 1).end());
        List<ParsedDdl> parts = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            NameRef r = refs.get(i);
            if (r.role() != Role.TABLE) {
                continue;
            }
            // a RENAME part runs from the old name to its new name, MariaDB's WAIT n in between included
            int end = kind == DdlKind.RENAME_TABLE ? refs.get(i + 1).end() : r.end();
            parts.add(DdlParser.parse(currentSchema, head + sql.substring(r.start(), end) + tail));
        }
        return parts;
    }

    /**
     * The statement with every table name (including LIKE sources, FOREIGN KEY parents and new names)
     * replaced by {@code rename} of its resolved name, fully qualified and backtick-quoted; every other
     * byte is kept. Database names of database DDL are left as they are (see {@link #rewriteSchema}).
     */
    public String rewrite(Function<TableName, TableName> rename) {
        return replace(r -> r.role() == Role.SCHEMA ? null : rename.apply(r.tableName()).quoted());
    }

    /**
     * The statement with every database name replaced by {@code rename} of it: the database of database
     * DDL (inserted after {@code ALTER DATABASE} when the statement relied on the session's) and the
     * database part of every table name, which is written fully qualified.
     */
    public String rewriteSchema(UnaryOperator<String> rename) {
        return replace(r -> {
            if (r.role() != Role.SCHEMA) {
                return new TableName(rename.apply(r.schema()), r.table()).quoted();
            }
            String quoted = SqlText.quote(rename.apply(r.schema()));
            return r.isImplicit() ? " " + quoted : quoted;
        });
    }

    /** The statement with each reference replaced by {@code replacement} of it (null keeps the text). */
    private String replace(Function<NameRef, String> replacement) {
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int last = 0;
        for (NameRef r : refs) {
            String text = replacement.apply(r);
            if (text == null) {
                continue;
            }
            out.append(sql, last, r.start()).append(text);
            last = r.end();
        }
        return out.append(sql, last, sql.length()).toString();
    }

    private List<TableName> names(Role role) {
        return refs.stream().filter(r -> r.role() == role).map(NameRef::tableName).toList();
    }
}
