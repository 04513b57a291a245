package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import io.dmjava.worker.dump.ValueForm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Imports a chunk as multi-row {@code INSERT}/{@code REPLACE} statements of about {@code batchBytes} each.
 * Values the server printed as text (numbers, dates) are sent as quoted ASCII; every other value as a hex
 * literal, so arbitrary bytes travel without any character set conversion (a hex literal stored into a
 * string column is a binary string; into a BIT column, a number).
 */
final class InsertImporter implements ChunkImporter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final int batchBytes;

    InsertImporter(int batchBytes) {
        this.batchBytes = batchBytes;
    }

    @Override
    public long importChunk(Connection c, Path file, TableName target, List<DumpedColumn> columns,
                            OnDuplicate onDuplicate, long expectedRows) throws SQLException, IOException {
        String verb = switch (onDuplicate) {
            case REPLACE -> "REPLACE";
            case IGNORE -> "INSERT IGNORE";
            case ERROR -> "INSERT";
        };
        String head = verb + " INTO " + target.quoted() + " ("
                + SqlText.quoteAll(columns.stream().map(DumpedColumn::name).toList()) + ") VALUES ";
        long affected = 0;
        StringBuilder sql = new StringBuilder(batchBytes + 4096).append(head);
        int rowsInBatch = 0;
        try (TsvReader reader = new TsvReader(Files.newInputStream(file)); Statement st = c.createStatement()) {
            for (List<byte[]> row = reader.next(); row != null; row = reader.next()) {
                if (row.size() != columns.size()) {
                    throw new IOException("a row of " + file.getFileName() + " has " + row.size() + " fields, expected "
                            + columns.size());
                }
                if (rowsInBatch > 0) {
                    sql.append(',');
                }
                appendRow(sql, row, columns);
                if (++rowsInBatch > 0 && sql.length() >= batchBytes) {
                    affected += execute(st, sql.toString());
                    sql.setLength(0);
                    sql.append(head);
                    rowsInBatch = 0;
                }
            }
            if (rowsInBatch > 0) {
                affected += execute(st, sql.toString());
            }
        }
        return affected;
    }

    private static long execute(Statement st, String sql) throws SQLException {
        try {
            return st.executeLargeUpdate(sql);
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlErrors.ER_DUP_ENTRY) {
                throw new Duplicate(e.getMessage());
            }
            throw e;
        }
    }

    private static void appendRow(StringBuilder sql, List<byte[]> row, List<DumpedColumn> columns) {
        sql.append('(');
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                sql.append(',');
            }
            byte[] v = row.get(i);
            if (v == null) {
                sql.append("NULL");
                continue;
            }
            switch (ValueForm.of(columns.get(i).dataType())) {
                case TEXT -> sql.append(SqlText.literal(new String(v, StandardCharsets.ISO_8859_1)));
                case RAW -> appendHex(sql, v);
                case UTF8 -> {
                    sql.append("CONVERT(");
                    appendHex(sql, v);
                    sql.append(" USING utf8mb4)");
                }
            }
        }
        sql.append(')');
    }

    private static void appendHex(StringBuilder sql, byte[] v) {
        sql.append("X'");
        for (byte b : v) {
            sql.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        sql.append('\'');
    }
}
