package io.dmjava.model.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Codes are what users search for and scripts match on: each belongs to one error, and each error says what to do. */
class ErrorCodeTest {
    @Test
    void everyCodeIsUniqueAndEveryErrorHasAWorkaroundAndAnHttpStatus() {
        Map<Integer, ErrorCode> seen = new HashMap<>();
        for (ErrorCode e : ErrorCode.values()) {
            ErrorCode other = seen.put(e.code(), e);
            assertThat(other).as("code %d is used by %s and %s", e.code(), other, e).isNull();
            assertThat(e.httpStatus()).as(e.name()).isBetween(400, 599);
            assertThat(e.workaround()).as(e.name()).isNotBlank();
        }
    }
}
