package io.dmjava.model.etcd;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON encoding of values stored in etcd. Unknown fields are ignored so that an older process can
 * read what a newer one wrote during a rolling upgrade.
 */
public final class JsonCodec {
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    /**
     * Decodes a stored value.
     *
     * @throws CorruptValueException when the bytes are not a valid {@code type}
     */
    public <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new CorruptValueException(type.getSimpleName(), new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    /** A value in etcd that is not what its key family says it holds. */
    public static final class CorruptValueException extends RuntimeException {
        public CorruptValueException(String type, String value, Throwable cause) {
            super("stored value is not a valid " + type + ": " + abbreviate(value), cause);
        }

        private static String abbreviate(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200) + "...";
        }
    }
}
