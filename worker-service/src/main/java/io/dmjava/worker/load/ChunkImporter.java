package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Imports one chunk file into a table on a connection whose transaction the caller controls. */
interface ChunkImporter {
    /**
     * @param expectedRows rows in the file (from the dump metadata)
     * @return rows the server reports as affected
     * @throws Duplicate when {@code onDuplicate} is ERROR and a key already exists
     */
    long importChunk(Connection c, Path file, TableName target, List<DumpedColumn> columns, OnDuplicate onDuplicate,
                     long expectedRows) throws SQLException, IOException;

    /** A key conflict under {@code on_duplicate: error}; the message is the server's, naming the key. */
    final class Duplicate extends RuntimeException {
        Duplicate(String detail) {
            super(detail, null, false, false);
        }
    }
}
