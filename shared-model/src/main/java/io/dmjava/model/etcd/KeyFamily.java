package io.dmjava.model.etcd;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One family of etcd keys sharing a prefix, e.g. {@code /dm/worker/alive}. Segments after the prefix
 * are percent-encoded so that a name containing {@code /} or spaces can never reach into another
 * family or another entity's key.
 */
public record KeyFamily(String prefix) {
    public KeyFamily {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start and not end with '/': " + prefix);
        }
    }

    /** The key for the given segments, each encoded. */
    public String key(String... segments) {
        StringBuilder sb = new StringBuilder(prefix);
        for (String s : segments) {
            sb.append('/').append(encode(s));
        }
        return sb.toString();
    }

    /** The prefix to range over every key of this family (or of the entities under the given segments). */
    public String rangePrefix(String... segments) {
        return key(segments) + "/";
    }

    /** The decoded segments of a key of this family. */
    public List<String> segments(String key) {
        if (!key.startsWith(prefix + "/")) {
            throw new IllegalArgumentException("key " + key + " is not under " + prefix);
        }
        List<String> out = new ArrayList<>();
        for (String part : key.substring(prefix.length() + 1).split("/", -1)) {
            out.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The last decoded segment of a key of this family: the entity's name for one-segment families. */
    public String lastSegment(String key) {
        List<String> s = segments(key);
        return s.get(s.size() - 1);
    }

    private static String encode(String segment) {
        Objects.requireNonNull(segment, "segment");
        // URLEncoder is form encoding; '+' for space would decode ambiguously in other tools.
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
