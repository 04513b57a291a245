package io.dmjava.master.api;

import io.dmjava.api.ApiContract;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the REST contract from {@code api-spec} as {@code /api/v1/dm.json} (Swagger UI reads it too). */
@RestController
public class OpenApiController {
    private final String document = ApiContract.load().asJson();

    @GetMapping(value = "/api/v1/dm.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public String document() {
        return document;
    }
}
