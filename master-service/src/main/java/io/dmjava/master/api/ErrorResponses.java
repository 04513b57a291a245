package io.dmjava.master.api;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** Writes {@code {error_code, error_msg}} bodies where no controller is involved (servlet filters). */
public final class ErrorResponses {
    private final JsonMapper mapper = JsonMapper.builder().build();

    public void write(HttpServletResponse response, DmException e) throws IOException {
        ErrorCode code = e.errorCode();
        response.setStatus(code.httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(mapper.writeValueAsBytes(new ErrorWithMessage(code.code(), e.getMessage())));
    }
}
