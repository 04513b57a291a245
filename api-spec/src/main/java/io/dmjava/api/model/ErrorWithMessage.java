package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of every error answer of the REST API (schema {@code ErrorWithMessage}).
 *
 * @param errorCode the stable error code: 10xxx the request, 20xxx cluster members, 90xxx internal
 * @param errorMsg  what went wrong, followed by a workaround
 */
public record ErrorWithMessage(
        @JsonProperty("error_code") int errorCode,
        @JsonProperty("error_msg") String errorMsg) {
}
