package io.dmjava.worker.api;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the worker's internal API in the REST contract's shape: the masters pass them on to the user as they
 * are, so they carry the user-facing code and message.
 */
@RestControllerAdvice
public class InternalApiErrors {
    private static final Logger log = LoggerFactory.getLogger(InternalApiErrors.class);

    @ExceptionHandler(DmException.class)
    public ResponseEntity<ErrorWithMessage> dm(DmException e) {
        return of(e);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ErrorWithMessage> unreadable(HttpMessageNotReadableException e) {
        return of(new DmException(ErrorCode.INVALID_REQUEST_BODY, e.getMostSpecificCause().getMessage()));
    }

    private static ResponseEntity<ErrorWithMessage> of(DmException e) {
        if (e.errorCode().httpStatus() >= 500) {
            log.warn("internal API request failed: {}", e.getMessage(), e.getCause());
        }
        return ResponseEntity.status(e.errorCode().httpStatus()).body(new ErrorWithMessage(e.errorCode().code(), e.getMessage()));
    }

}
