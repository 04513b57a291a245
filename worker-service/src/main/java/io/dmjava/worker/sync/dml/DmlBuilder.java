package io.dmjava.worker.sync.dml;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.sync.schema.ColumnSchema;
import io.dmjava.worker.sync.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Downstream SQL for row changes. Rows are {@code Object[]} of JDBC-ready values, one per column of the
 * upstream {@link TableSchema} in ordinal order; generated columns have a slot but are never written
 * nor compared (the downstream computes them).
 *
 * <p>Binding: a {@code byte[]} for a {@linkplain ColumnSchema#isRawText() raw-text} column is bound as
 * {@code CONVERT(? USING charset) COLLATE collation}, so that the downstream stores those very bytes in
 * the column's character set instead of re-encoding them; every other value is a plain {@code ?}.
 *
 * <p>Rows are identified by the first key among the primary key and the NOT NULL unique keys that has
 * no generated column; a table without one is matched on every column (see {@link #delete}).
 */
public final class DmlBuilder {
    /** Compared with {@code <=>} these would miss rows: their binlog value is not exactly what is stored. */
    private static final Set<String> INEXACT_TYPES = Set.of("float", "double", "real");
    /** MySQL compares a JSON column with a string parameter as a JSON string scalar, never equal to an object. */
    private static final Set<String> UNCOMPARABLE_TYPES = Set.of("json");
    private static final Pattern CHARSET_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private DmlBuilder() {
    }

    /**
     * One multi-row {@code INSERT INTO t (cols) VALUES (...),(...)}, or {@code REPLACE INTO} when
     * {@code replace} (safe mode).
     */
    public static Stmt insert(TableName target, TableSchema schema, List<Object[]> rows, boolean replace) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to insert into " + target);
        }
        List<Integer> cols = writtenColumns(schema);
        StringBuilder sql = new StringBuilder(replace ? "REPLACE INTO " : "INSERT INTO ").append(target.quoted())
                .append(" (").append(SqlText.quoteAll(cols.stream().map(i -> schema.columns().get(i).name()).toList()))
                .append(") VALUES ");
        List<Object> params = new ArrayList<>(rows.size() * cols.size());
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = checked(schema, rows.get(r));
            sql.append(r == 0 ? "(" : ",(");
            for (int k = 0; k < cols.size(); k++) {
                int i = cols.get(k);
                if (k > 0) {
                    sql.append(',');
                }
                bind(sql, params, schema.columns().get(i), row[i]);
            }
            sql.append(')');
        }
        return new Stmt(sql.toString(), params);
    }

    /**
     * Deletes rows by their before images. With a row key: one {@code DELETE ... WHERE k IN (?,...)}
     * (or {@code WHERE (k1,k2) IN ((?,?),...)}). Without: one statement per row comparing every
     * non-generated column with {@code <=>} except FLOAT/DOUBLE/REAL and JSON, with {@code LIMIT 1} (two
     * identical rows are indistinguishable, so deleting either is right).
     */
    public static List<Stmt> delete(TableName target, TableSchema schema, List<Object[]> befores) {
        if (befores.isEmpty()) {
            throw new IllegalArgumentException("no rows to delete from " + target);
        }
        List<Integer> key = keyColumns(schema);
        if (key.isEmpty()) {
            List<Stmt> out = new ArrayList<>(befores.size());
            for (Object[] before : befores) {
                StringBuilder sql = new StringBuilder("DELETE FROM ").append(target.quoted()).append(" WHERE ");
                List<Object> params = new ArrayList<>();
                whereAllColumns(sql, params, schema, checked(schema, before));
                out.add(new Stmt(sql.append(" LIMIT 1").toString(), params));
            }
            return out;
        }
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(target.quoted()).append(" WHERE ");
        List<Object> params = new ArrayList<>();
        boolean single = key.size() == 1;
        if (single) {
            sql.append(SqlText.quote(schema.columns().get(key.get(0)).name()));
        } else {
            sql.append('(').append(SqlText.quoteAll(key.stream().map(i -> schema.columns().get(i).name()).toList()))
                    .append(')');
        }
        sql.append(" IN (");
        for (int r = 0; r < befores.size(); r++) {
            Object[] row = checked(schema, befores.get(r));
            if (r > 0) {
                sql.append(',');
            }
            if (!single) {
                sql.append('(');
            }
            for (int k = 0; k < key.size(); k++) {
                if (k > 0) {
                    sql.append(',');
                }
                bind(sql, params, schema.columns().get(key.get(k)), row[key.get(k)]);
            }
            if (!single) {
                sql.append(')');
            }
        }
        return List.of(new Stmt(sql.append(')').toString(), params));
    }

    /**
     * {@code UPDATE t SET <every non-generated column> WHERE <row key of before>}; without a row key the
     * WHERE compares columns as {@link #delete} does and ends in {@code LIMIT 1}. Works when the key
     * itself changes, since the WHERE uses the before image.
     */
    public static Stmt update(TableName target, TableSchema schema, Object[] before, Object[] after) {
        checked(schema, before);
        checked(schema, after);
        StringBuilder sql = new StringBuilder("UPDATE ").append(target.quoted()).append(" SET ");
        List<Object> params = new ArrayList<>();
        List<Integer> cols = writtenColumns(schema);
        for (int k = 0; k < cols.size(); k++) {
            ColumnSchema c = schema.columns().get(cols.get(k));
            if (k > 0) {
                sql.append(',');
            }
            sql.append(SqlText.quote(c.name())).append('=');
            bind(sql, params, c, after[cols.get(k)]);
        }
        sql.append(" WHERE ");
        List<Integer> key = keyColumns(schema);
        if (key.isEmpty()) {
            whereAllColumns(sql, params, schema, before);
            sql.append(" LIMIT 1");
        } else {
            for (int k = 0; k < key.size(); k++) {
                ColumnSchema c = schema.columns().get(key.get(k));
                if (k > 0) {
                    sql.append(" AND ");
                }
                sql.append(SqlText.quote(c.name())).append('=');
                bind(sql, params, c, before[key.get(k)]);
            }
        }
        return new Stmt(sql.toString(), params);
    }

    /** Safe-mode INSERT: {@code REPLACE INTO}, so that replaying rows that are already there is harmless. */
    public static Stmt safeInsert(TableName target, TableSchema schema, List<Object[]> rows) {
        return insert(target, schema, rows, true);
    }

    /**
     * Safe-mode UPDATE: DELETE of the before image, then REPLACE of the after image, in that order; the
     * pair is idempotent whether the update was applied already or not.
     */
    public static List<Stmt> safeUpdate(TableName target, TableSchema schema, Object[] before, Object[] after) {
        List<Stmt> out = new ArrayList<>(delete(target, schema, List.<Object[]>of(before)));
        out.add(insert(target, schema, List.<Object[]>of(after), true));
        return out;
    }

    /** Whether rows of the table can be identified by a key (else WHERE compares every comparable column). */
    public static boolean hasRowKey(TableSchema schema) {
        return !keyColumns(schema).isEmpty();
    }

    /** The key identifying rows in WHERE clauses, as column positions; empty when there is none. */
    static List<Integer> keyColumns(TableSchema schema) {
        List<List<String>> candidates = new ArrayList<>();
        candidates.add(schema.primaryKey());
        candidates.addAll(schema.uniqueKeys());
        for (int k = 0; k < candidates.size(); k++) {
            boolean primary = k == 0;
            List<Integer> positions = new ArrayList<>();
            for (String name : candidates.get(k)) {
                int i = schema.indexOf(name);
                ColumnSchema c = i < 0 ? null : schema.columns().get(i);
                if (c == null || c.generated() || (!primary && c.nullable())) {
                    positions = null;
                    break;
                }
                positions.add(i);
            }
            if (positions != null && !positions.isEmpty()) {
                return positions;
            }
        }
        return List.of();
    }

    private static void whereAllColumns(StringBuilder sql, List<Object> params, TableSchema schema, Object[] row) {
        List<Integer> cols = new ArrayList<>();
        for (int i : writtenColumns(schema)) {
            ColumnSchema c = schema.columns().get(i);
            if (!INEXACT_TYPES.contains(c.dataType()) && !UNCOMPARABLE_TYPES.contains(c.dataType())) {
                cols.add(i);
            }
        }
        if (cols.isEmpty()) {
            // only inexact columns: comparing them may miss the row, but not comparing would hit any row
            cols = writtenColumns(schema);
        }
        for (int k = 0; k < cols.size(); k++) {
            ColumnSchema c = schema.columns().get(cols.get(k));
            if (k > 0) {
                sql.append(" AND ");
            }
            sql.append(SqlText.quote(c.name())).append(" <=> ");
            bind(sql, params, c, row[cols.get(k)]);
        }
    }

    private static List<Integer> writtenColumns(TableSchema schema) {
        List<Integer> cols = new ArrayList<>(schema.columns().size());
        for (int i = 0; i < schema.columns().size(); i++) {
            if (!schema.columns().get(i).generated()) {
                cols.add(i);
            }
        }
        return cols;
    }

    private static void bind(StringBuilder sql, List<Object> params, ColumnSchema column, Object value) {
        if (value instanceof byte[] && column.isRawText()) {
            sql.append("CONVERT(? USING ").append(charsetName(column.charset())).append(')');
            if (column.collation() != null) {
                sql.append(" COLLATE ").append(charsetName(column.collation()));
            }
        } else {
            sql.append('?');
        }
        params.add(value);
    }

    /** Character set and collation names are spliced into SQL, so they must be plain names. */
    private static String charsetName(String name) {
        if (!CHARSET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a character set or collation name: " + name);
        }
        return name;
    }

    private static Object[] checked(TableSchema schema, Object[] row) {
        if (row.length != schema.columns().size()) {
            throw new IllegalArgumentException("a row of " + schema.schema() + "." + schema.table() + " has "
                    + row.length + " values for " + schema.columns().size() + " columns");
        }
        return row;
    }
}
