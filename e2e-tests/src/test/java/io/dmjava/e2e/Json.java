package io.dmjava.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON parsing for assertions on API answers. */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode parse(String body) {
        return MAPPER.readTree(body);
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return MAPPER.writeValueAsString(s);
    }
}
