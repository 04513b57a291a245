package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.dmjava.model.error.ErrorCode;
import java.sql.SQLException;

/** Tells the user what a failure of the source means and whether trying again can help. */
final class BinlogErrors {
    // Server error numbers (shared by MySQL and MariaDB).
    private static final int ACCESS_DENIED = 1045;
    private static final int DB_ACCESS_DENIED = 1044;
    private static final int TABLE_ACCESS_DENIED = 1142;
    private static final int SPECIFIC_ACCESS_DENIED = 1227;
    private static final int MASTER_FATAL_READING_BINLOG = 1236;

    private BinlogErrors() {
    }

    /** A failure of the SQL connection used to check the source before streaming. */
    static BinlogStreamException fromSql(String source, SQLException e) {
        int code = e.getErrorCode();
        if (code == SPECIFIC_ACCESS_DENIED || code == DB_ACCESS_DENIED || code == TABLE_ACCESS_DENIED) {
            return new BinlogStreamException(ErrorCode.SYNC_BINLOG_ACCESS_DENIED, false, e, source, e.getMessage());
        }
        // A wrong password does not fix itself; an unreachable server may.
        return new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, code != ACCESS_DENIED, e, source,
                e.getMessage());
    }

    /**
     * A failure of the replication connection.
     *
     * @param connecting whether the stream had not started yet
     * @param start      the start point, for messages
     * @param at         where the stream stood, for messages
     */
    static BinlogStreamException fromStream(String source, Exception e, boolean connecting, String start, Object at) {
        if (e instanceof AuthenticationException) {
            return new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, false, e, source,
                    "authentication failed: " + e.getMessage());
        }
        if (e instanceof ServerException se) {
            int code = se.getErrorCode();
            if (code == SPECIFIC_ACCESS_DENIED || code == DB_ACCESS_DENIED || code == ACCESS_DENIED) {
                return new BinlogStreamException(ErrorCode.SYNC_BINLOG_ACCESS_DENIED, false, e, source,
                        "error " + code + ": " + e.getMessage());
            }
            if (code == MASTER_FATAL_READING_BINLOG) {
                return new BinlogStreamException(ErrorCode.SYNC_BINLOG_POSITION_UNAVAILABLE, false, e, source,
                        connecting ? start : at, "error " + code + ": " + e.getMessage());
            }
            return new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, e, source, at,
                    "error " + code + ": " + e.getMessage());
        }
        if (connecting) {
            return new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, true, e, source, String.valueOf(e));
        }
        return new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, e, source, at, String.valueOf(e));
    }
}
