package io.dmjava.worker.dump;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One export connection inside a consistent-snapshot transaction, and where that snapshot sits in the
 * binlog. Every chunk read through it records {@link #position()}.
 *
 * @param exact whether the position is exactly that of the snapshot (else it is a lower bound)
 */
public record SnapshotSession(Connection connection, BinlogPosition position, boolean exact) implements AutoCloseable {
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The snapshot is read-only; nothing is lost by a failed close.
        }
    }
}
