package io.dmjava.worker.sync.binlog;

import io.dmjava.model.error.ErrorCode;
import java.util.Objects;

/**
 * The binlog stream cannot go on: the connection dropped, the upstream stopped sending heartbeats, it refused
 * the start position or the user, or an event could not be decoded exactly. The stream is dead after this;
 * the caller closes it and, when {@link #retryable()}, opens a new one from its last transaction boundary.
 */
public class BinlogStreamException extends Exception {
    private final ErrorCode errorCode;
    private final boolean retryable;
    private final Object[] args;

    public BinlogStreamException(ErrorCode errorCode, boolean retryable, Throwable cause, Object... args) {
        super(Objects.requireNonNull(errorCode).message(args), cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
        this.args = args.clone();
    }

    /** The user-facing error code (51xxx). */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * Whether reconnecting later may succeed (a lost connection or a missed heartbeat), as opposed to a
     * refusal that needs a human (privileges, purged binlog, unsupported binlog settings).
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The message arguments, so that the caller can raise the same error unchecked:
     * {@code new UnitException(e.errorCode(), e, e.args())}.
     */
    public Object[] args() {
        return args.clone();
    }
}
