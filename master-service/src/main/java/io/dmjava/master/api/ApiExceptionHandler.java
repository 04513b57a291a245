package io.dmjava.master.api;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.master.db.MasterJdbc;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into {@code {error_code, error_msg}}: the caller's mistakes into 4xx with the
 * field and the fix, our own into 500 without a stack trace in the body (it goes to the log).
 */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(DmException.class)
    public ResponseEntity<ErrorWithMessage> dm(DmException e) {
        if (e.errorCode().httpStatus() >= 500) {
            log.warn("request failed: {}", e.getMessage(), e.getCause());
        }
        return body(e.errorCode(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ErrorWithMessage> unreadable(HttpMessageNotReadableException e) {
        Throwable root = e.getMostSpecificCause();
        String why = root == null || root.getMessage() == null ? "empty or malformed body" : MasterJdbc.firstLine(root.getMessage());
        return body(ErrorCode.INVALID_REQUEST_BODY, ErrorCode.INVALID_REQUEST_BODY.message(why));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ErrorWithMessage> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE.message(e.getContentType()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ErrorWithMessage> method(HttpRequestMethodNotSupportedException e, HttpServletRequest req) {
        return body(ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED.message(e.getMethod(), req.getRequestURI()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<ErrorWithMessage> notFound(NoResourceFoundException e, HttpServletRequest req) {
        return body(ErrorCode.ROUTE_NOT_FOUND, ErrorCode.ROUTE_NOT_FOUND.message(req.getMethod(), req.getRequestURI()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ErrorWithMessage> typeMismatch(MethodArgumentTypeMismatchException e) {
        return body(ErrorCode.INVALID_PARAMETER, ErrorCode.INVALID_PARAMETER.message(e.getName(),
                "'" + e.getValue() + "' is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName())));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ErrorWithMessage> missing(MissingServletRequestParameterException e) {
        return body(ErrorCode.INVALID_PARAMETER, ErrorCode.INVALID_PARAMETER.message(e.getParameterName(), "required"));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ErrorWithMessage> unexpected(Exception e, HttpServletRequest req) {
        log.error("unexpected failure serving {} {}", req.getMethod(), req.getRequestURI(), e);
        return body(ErrorCode.INTERNAL, ErrorCode.INTERNAL.message(e.getClass().getSimpleName()));
    }

    private static ResponseEntity<ErrorWithMessage> body(ErrorCode code, String message) {
        return ResponseEntity.status(code.httpStatus()).body(new ErrorWithMessage(code.code(), message));
    }
}
