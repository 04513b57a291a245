package io.dmjava.worker.relay;

import io.dmjava.model.error.ErrorCode;
import java.util.Objects;

/** The relay cannot go on; when {@link #retryable()} it reconnects from its files' end after a backoff. */
final class RelayException extends Exception {
    private final ErrorCode errorCode;
    private final boolean retryable;
    private final Object[] args;

    RelayException(ErrorCode errorCode, boolean retryable, Throwable cause, Object... args) {
        super(Objects.requireNonNull(errorCode).message(args), cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
        this.args = args.clone();
    }

    /** The message arguments, to raise the same error unchecked. */
    Object[] args() {
        return args.clone();
    }

    ErrorCode errorCode() {
        return errorCode;
    }

    boolean retryable() {
        return retryable;
    }
}
