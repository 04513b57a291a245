package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.dmjava.model.error.ErrorCode;
import java.sql.SQLException;
import java.util.Set;

/** Which upstream failures a relay retries, and how they read. */
final class RelayErrors {
    /** Access denied (user, database, privilege): retrying does not help. */
    private static final Set<Integer> DENIED = Set.of(1044, 1045, 1142, 1227);
    private static final int MASTER_FATAL_READING_BINLOG = 1236;

    private RelayErrors() {
    }

    static RelayException fromSql(String source, String where, SQLException e) {
        return new RelayException(ErrorCode.RELAY_CONNECT_FAILED, !DENIED.contains(e.getErrorCode()), e, source, where,
                e.getMessage());
    }

    static RelayException fromStream(String source, String where, Object at, Exception e) {
        if (e instanceof AuthenticationException) {
            return new RelayException(ErrorCode.RELAY_CONNECT_FAILED, false, e, source, where,
                    "authentication failed: " + e.getMessage());
        }
        if (e instanceof ServerException se) {
            if (se.getErrorCode() == MASTER_FATAL_READING_BINLOG) {
                return new RelayException(ErrorCode.RELAY_POSITION_UNAVAILABLE, false, e, source, at,
                        "error 1236: " + e.getMessage());
            }
            return new RelayException(ErrorCode.RELAY_CONNECT_FAILED, !DENIED.contains(se.getErrorCode()), e, source,
                    where, "error " + se.getErrorCode() + ": " + e.getMessage());
        }
        return new RelayException(ErrorCode.RELAY_CONNECT_FAILED, true, e, source, where, e.toString());
    }
}
