package io.dmjava.model.error;

import java.util.Objects;

/** An error with a stable {@link ErrorCode}; the REST layer turns it into {@code {error_code, error_msg}}. */
public class DmException extends RuntimeException {
    private final ErrorCode errorCode;

    public DmException(ErrorCode errorCode, Object... args) {
        super(Objects.requireNonNull(errorCode).message(args));
        this.errorCode = errorCode;
    }

    public DmException(ErrorCode errorCode, Throwable cause, Object... args) {
        super(Objects.requireNonNull(errorCode).message(args), cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
