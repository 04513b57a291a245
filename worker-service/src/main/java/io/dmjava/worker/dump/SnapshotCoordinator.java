package io.dmjava.worker.dump;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the export connections so that they all read one consistent state of the source, and finds the
 * binlog position of that state (see {@link Consistency} for the modes).
 */
final class SnapshotCoordinator {
    private static final Logger log = LoggerFactory.getLogger(SnapshotCoordinator.class);
    /** Access denied for FTWRL (no RELOAD privilege) and its cousins: reasons for auto to fall back to lock. */
    private static final Set<Integer> ACCESS_DENIED = Set.of(1227, 1044, 1045, 1142);

    private final JdbcConnector connector;
    private final PositionReader positions;
    private final String sourceName;

    /** The opened sessions, the snapshot's position and the mode actually used. */
    record Snapshot(List<SnapshotSession> sessions, BinlogPosition position, Consistency used, boolean exact) {
    }

    SnapshotCoordinator(JdbcConnector connector, DbFlavor flavor, String sourceName) {
        this.connector = connector;
        this.positions = new PositionReader(flavor);
        this.sourceName = sourceName;
    }

    /** Opens {@code count} sessions on one snapshot; {@code tables} are locked in {@code lock} mode. */
    Snapshot open(Consistency consistency, int count, List<TableName> tables) {
        try {
            return switch (consistency) {
                case NONE -> openUnlocked(count);
                case LOCK -> openLocked(count, tables, false);
                case FLUSH -> openLocked(count, tables, true);
                case AUTO -> openAuto(count, tables);
            };
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.DUMP_SNAPSHOT_FAILED, e, sourceName, SqlErrors.describe(e));
        }
    }

    /**
     * A session with its own snapshot, taken now without any lock: for {@code none} mode and for replacing
     * a session whose connection was lost. Its position is exact on MariaDB and a lower bound elsewhere.
     */
    SnapshotSession openIndependent() throws SQLException {
        Connection c = connector.open();
        try {
            BinlogPosition before = positions.current(c);
            startSnapshot(c);
            BinlogPosition exact = positions.snapshotOf(c);
            return exact != null ? new SnapshotSession(c, exact, true) : new SnapshotSession(c, before, false);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private Snapshot openAuto(int count, List<TableName> tables) throws SQLException {
        try {
            return openLocked(count, tables, true);
        } catch (SQLException e) {
            if (!ACCESS_DENIED.contains(e.getErrorCode())) {
                throw e;
            }
            log.warn("source {}: FLUSH TABLES WITH READ LOCK not permitted ({}); falling back to LOCK TABLES",
                    sourceName, SqlErrors.describe(e));
            return openLocked(count, tables, false);
        }
    }

    private Snapshot openUnlocked(int count) throws SQLException {
        List<SnapshotSession> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(openIndependent());
            }
        } catch (SQLException | RuntimeException e) {
            sessions.forEach(SnapshotSession::close);
            throw e;
        }
        BinlogPosition min = sessions.stream().map(SnapshotSession::position).min(BinlogPosition::compareTo).orElseThrow();
        boolean allSame = sessions.stream().allMatch(s -> s.exact() && s.position().equals(min));
        return new Snapshot(sessions, min, Consistency.NONE, allSame);
    }

    /**
     * Holds a global read lock (FTWRL) or table read locks while every session starts its snapshot and the
     * position is read, so all sessions and the position describe the same instant. Writers wait only for
     * that short window.
     */
    private Snapshot openLocked(int count, List<TableName> tables, boolean flush) throws SQLException {
        List<SnapshotSession> sessions = new ArrayList<>();
        try (Connection locker = connector.open(); Statement st = locker.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = 60");
            if (flush) {
                // FLUSH TABLES first (without the lock) lets the locking FLUSH finish fast on a busy server.
                st.execute("FLUSH NO_WRITE_TO_BINLOG TABLES");
                st.execute("FLUSH TABLES WITH READ LOCK");
            } else if (!tables.isEmpty()) {
                st.execute("LOCK TABLES " + tables.stream().map(t -> t.quoted() + " READ").collect(Collectors.joining(", ")));
            }
            BinlogPosition position;
            try {
                for (int i = 0; i < count; i++) {
                    Connection c = connector.open();
                    try {
                        startSnapshot(c);
                    } catch (SQLException e) {
                        c.close();
                        throw e;
                    }
                    sessions.add(new SnapshotSession(c, BinlogPosition.UNKNOWN, true));
                }
                position = positions.current(locker);
            } finally {
                st.execute("UNLOCK TABLES");
            }
            List<SnapshotSession> withPosition = sessions.stream()
                    .map(s -> new SnapshotSession(s.connection(), position, true)).toList();
            log.info("source {}: consistent snapshot ({}) at {} on {} connections", sourceName,
                    flush ? "flush" : "lock", position, count);
            return new Snapshot(withPosition, position, flush ? Consistency.FLUSH : Consistency.LOCK, true);
        } catch (SQLException | RuntimeException e) {
            sessions.forEach(SnapshotSession::close);
            throw e;
        }
    }

    private static void startSnapshot(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
        }
    }
}
