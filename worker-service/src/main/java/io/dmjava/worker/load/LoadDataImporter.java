package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.db.StallWatchdog;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import io.dmjava.worker.dump.TsvFormat;
import io.dmjava.worker.dump.ValueForm;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a chunk with {@code LOAD DATA LOCAL INFILE}: the driver streams the file and the server parses it,
 * with an explicit column list (generated columns are computed by the target). Columns in utf8mb4 text form
 * (JSON, INET6, ...) go through a variable converted to utf8mb4: the file is read as {@code CHARACTER SET
 * binary}, and a binary string would mean something else to those types (MySQL refuses binary JSON; a
 * 16-byte binary string is a raw INET6 address).
 */
final class LoadDataImporter implements ChunkImporter {
    private static final Logger log = LoggerFactory.getLogger(LoadDataImporter.class);

    static String sql(Path file, TableName target, List<DumpedColumn> columns, OnDuplicate onDuplicate) {
        List<String> targets = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            DumpedColumn col = columns.get(i);
            if (ValueForm.of(col.dataType()) == ValueForm.UTF8) {
                targets.add("@v" + i);
                sets.add(SqlText.quote(col.name()) + " = CONVERT(@v" + i + " USING utf8mb4)");
            } else {
                targets.add(SqlText.quote(col.name()));
            }
        }
        // Without REPLACE or IGNORE, LOCAL loads skip duplicates like IGNORE; ERROR is checked by row count.
        String keyword = switch (onDuplicate) {
            case REPLACE -> " REPLACE";
            case IGNORE, ERROR -> " IGNORE";
        };
        return "LOAD DATA LOCAL INFILE " + SqlText.literal(file.toAbsolutePath().toString()) + keyword
                + " INTO TABLE " + target.quoted() + " " + TsvFormat.LOAD_DATA_FORMAT
                + " (" + String.join(",", targets) + ")"
                + (sets.isEmpty() ? "" : " SET " + String.join(", ", sets));
    }

    private final StallWatchdog watchdog;

    LoadDataImporter(StallWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public long importChunk(Connection c, Path file, TableName target, List<DumpedColumn> columns,
                            OnDuplicate onDuplicate, long expectedRows) throws SQLException, IOException {
        try (Statement st = c.createStatement();
             InputStream upload = watchdog.watch(c, new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            // The driver sends this stream when the server asks for the file named in the statement.
            st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(upload);
            long affected = st.executeLargeUpdate(sql(file, target, columns, onDuplicate));
            if (onDuplicate == OnDuplicate.ERROR && affected < expectedRows) {
                throw new Duplicate(firstDuplicateWarning(st, target, expectedRows - affected));
            }
            logWarnings(st.getWarnings(), target, onDuplicate);
            return affected;
        }
    }

    private static String firstDuplicateWarning(Statement st, TableName target, long skipped) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
            while (rs.next()) {
                if (rs.getInt(2) == SqlErrors.ER_DUP_ENTRY) {
                    return rs.getString(3);
                }
            }
        }
        return skipped + " rows of " + target + " were skipped as duplicates";
    }

    private static void logWarnings(SQLWarning w, TableName target, OnDuplicate onDuplicate) {
        int shown = 0;
        for (; w != null && shown < 5; w = w.getNextWarning()) {
            if (w.getErrorCode() == SqlErrors.ER_DUP_ENTRY && onDuplicate == OnDuplicate.IGNORE) {
                continue; // asked for
            }
            log.warn("LOAD DATA into {}: warning {}: {}", target, w.getErrorCode(), w.getMessage());
            shown++;
        }
    }
}
