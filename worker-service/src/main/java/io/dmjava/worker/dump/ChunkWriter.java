package io.dmjava.worker.dump;

import io.dmjava.worker.db.SqlText;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Streams one chunk's rows from a snapshot session into its file. The file is written under a temporary
 * name, forced to disk and renamed, so a chunk file that exists is complete.
 */
final class ChunkWriter {
    /** How often (in rows) the writer reports progress and checks for a stop request. */
    private static final int REPORT_EVERY = 4096;

    /** Rows and bytes of a written chunk. */
    record Result(long rows, long bytes) {
    }

    /** Thrown when a stop was requested in the middle of a chunk; its temporary file is gone. */
    static final class Stopped extends Exception {
        Stopped() {
            super("stop requested", null, false, false);
        }
    }

    private final int fetchSize;
    private final DumpProgress progress;
    private final BooleanSupplier stop;

    ChunkWriter(int fetchSize, DumpProgress progress, BooleanSupplier stop) {
        this.fetchSize = fetchSize;
        this.progress = progress;
        this.stop = stop;
    }

    /** The SELECT that reads a chunk; its columns are the table's {@link TableInfo#dumpColumns()}. */
    static String selectSql(ChunkSpec chunk) {
        TableInfo table = chunk.table();
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(table.dumpColumns().stream().map(ColumnInfo::selectExpression).collect(Collectors.joining(",")))
                .append(" FROM ").append(table.name().quoted());
        if (chunk.where() != null) {
            // The range must be read through the key's index, not by a full scan the optimizer might prefer.
            sql.append(" FORCE INDEX (").append(SqlText.quote(table.key().indexName())).append(")")
                    .append(" WHERE ").append(chunk.where());
        }
        return sql.toString();
    }

    Result write(Connection c, ChunkSpec chunk, Path target) throws SQLException, IOException, Stopped {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        int columns = chunk.table().dumpColumns().size();
        long rows = 0;
        long reportedRows = 0;
        long reportedBytes = 0;
        boolean done = false;
        try (FileOutputStream file = new FileOutputStream(tmp.toFile());
             TsvWriter out = new TsvWriter(file);
             PreparedStatement ps = c.prepareStatement(selectSql(chunk))) {
            List<byte[]> params = chunk.params();
            for (int i = 0; i < params.size(); i++) {
                ps.setBytes(i + 1, params.get(i));
            }
            ps.setFetchSize(fetchSize); // streams: the driver holds at most fetchSize rows in memory
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        out.field(rs.getBytes(i));
                    }
                    out.endRow();
                    if (++rows % REPORT_EVERY == 0) {
                        long bytes = out.bytesWritten();
                        progress.add(REPORT_EVERY, bytes - reportedBytes);
                        reportedRows = rows;
                        reportedBytes = bytes;
                        if (stop.getAsBoolean()) {
                            ps.cancel();
                            throw new Stopped();
                        }
                    }
                }
            }
            out.flush();
            file.getChannel().force(true);
            long bytes = out.bytesWritten();
            progress.add(rows % REPORT_EVERY, bytes - reportedBytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return new Result(rows, bytes);
        } finally {
            if (!done) {
                // A retried or abandoned chunk must not count twice in the status.
                progress.subtract(reportedRows, reportedBytes);
                Files.deleteIfExists(tmp);
            }
        }
    }
}
