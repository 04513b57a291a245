package io.dmjava.worker.unit;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;

/** A unit failure with a stable error code; the subtask pauses and shows it in {@code error_msg}. */
public class UnitException extends DmException {
    public UnitException(ErrorCode code, Object... args) {
        super(code, args);
    }

    public UnitException(ErrorCode code, Throwable cause, Object... args) {
        super(code, cause, args);
    }
}
