package io.dmjava.worker.db;

import java.sql.SQLException;
import java.util.Set;

/** Classifies database errors: which are worth retrying, which mean a duplicate key, and how to show them. */
public final class SqlErrors {
    /** ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, server shutting down, connection killed (MariaDB). */
    private static final Set<Integer> RETRYABLE_SERVER_CODES = Set.of(1213, 1205, 1053, 1927);
    /** CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONN_HOST_ERROR (the server restarts). */
    private static final Set<Integer> RETRYABLE_CLIENT_CODES = Set.of(2006, 2013, 2003);
    public static final int ER_DUP_ENTRY = 1062;

    private SqlErrors() {
    }

    /**
     * Whether {@code error} (or one of its causes) is transient: a deadlock, a lock wait timeout or a lost
     * connection. Retrying the whole transaction on a new connection is then expected to succeed.
     */
    public static boolean isRetryable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (RETRYABLE_SERVER_CODES.contains(sql.getErrorCode()) || RETRYABLE_CLIENT_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
                String state = sql.getSQLState();
                // Class 08 is "connection exception" (08S01 communication link failure, 08000, 08003 ...).
                if (state != null && state.startsWith("08")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether {@code error} is a duplicate-key violation (ER_DUP_ENTRY). */
    public static boolean isDuplicateKey(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ER_DUP_ENTRY) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description: the server's message and its error code, for user-facing errors. */
    public static String describe(Throwable error) {
        if (error instanceof SQLException sql) {
            return sql.getMessage() + " (error " + sql.getErrorCode() + ", state " + sql.getSQLState() + ")";
        }
        return String.valueOf(error.getMessage());
    }
}
