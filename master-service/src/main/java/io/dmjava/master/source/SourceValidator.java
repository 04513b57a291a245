package io.dmjava.master.source;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig;
import java.util.ArrayList;
import java.util.List;

/** Checks a source's fields before anything connects anywhere; every problem is reported at once. */
final class SourceValidator {
    static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private SourceValidator() {
    }

    static void validate(SourceConfig s) {
        if (s == null) {
            throw new DmException(ErrorCode.SOURCE_INVALID, "field 'source' is missing");
        }
        List<String> problems = new ArrayList<>();
        if (s.sourceName() == null || !s.sourceName().matches(NAME_RULE)) {
            problems.add("source_name '" + s.sourceName() + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (s.host() == null || s.host().isBlank()) {
            problems.add("host is required");
        }
        if (s.port() != null && (s.port() < 1 || s.port() > 65535)) {
            problems.add("port " + s.port() + " must be between 1 and 65535");
        }
        if (s.user() == null || s.user().isBlank()) {
            problems.add("user is required");
        }
        if (s.flavor() != null && !s.flavor().isEmpty() && !s.flavor().equals("mysql") && !s.flavor().equals("mariadb")) {
            problems.add("flavor '" + s.flavor() + "' must be 'mysql', 'mariadb' or empty (detected)");
        }
        if (s.relayConfig() != null && Boolean.TRUE.equals(s.relayConfig().enableRelay())) {
            problems.add("relay_config.enable_relay: the relay log is not available yet; omit it or set it to false");
        }
        if (!problems.isEmpty()) {
            throw new DmException(ErrorCode.SOURCE_INVALID, String.join("; ", problems));
        }
    }
}
