package io.dmjava.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code POST /tasks/{t}/start} asked of a subtask's sync unit beyond its checkpoint: DM's
 * {@code start_time} and {@code safe_mode_time_duration} (its "task cli args"). Stored with the subtask config;
 * the sync unit records {@link #requestId} with its checkpoint once it has acted on them, so that a restart of
 * the worker resumes from the checkpoint instead of searching the binlog again (docs/sync.md).
 *
 * @param requestId            unique per start request
 * @param startTime            {@code start_time} as the user gave it (for messages), or null
 * @param startEpochSecond     {@code start_time} as an instant (epoch seconds), resolved by the master with the
 *                             upstream's time zone; null without {@code start_time}
 * @param safeModeTimeDuration {@code safe_mode_time_duration} as given (Go duration syntax), or null
 */
public record TaskStartArgs(@JsonProperty("request_id") String requestId,
                            @JsonProperty("start_time") String startTime,
                            @JsonProperty("start_epoch_second") Long startEpochSecond,
                            @JsonProperty("safe_mode_time_duration") String safeModeTimeDuration) {

    /** How {@code start_time} may be written (shown in error messages). */
    public static final String START_TIME_FORMATS = "'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DDTHH:MM:SS' (both in the upstream's"
            + " time zone, e.g. '2021-10-21 00:01:00'), or RFC 3339 with an offset (e.g. '2021-10-21T00:01:00+08:00'"
            + " or '2021-10-21T00:01:00Z')";
    /** How {@code safe_mode_time_duration} may be written (shown in error messages). */
    public static final String DURATION_FORMATS = "a duration such as '60s', '2m', '1h30m' or '1.5h'"
            + " (units ns, us, ms, s, m, h; no sign)";

    private static final DateTimeFormatter SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter T_LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    public TaskStartArgs {
        Objects.requireNonNull(requestId, "requestId");
    }

    /** {@code start_time}: either a wall-clock time without zone (the upstream's zone applies) or an instant. */
    public record StartTime(LocalDateTime local, OffsetDateTime instant) {
        /** The wall-clock text for the upstream to interpret ({@code YYYY-MM-DD HH:MM:SS}); null for an instant. */
        public String localText() {
            return local == null ? null : SPACE.format(local);
        }
    }

    /**
     * Parses {@code start_time} in DM's formats, or RFC 3339 with an offset.
     *
     * @throws IllegalArgumentException naming the accepted formats
     */
    public static StartTime parseStartTime(String text) {
        String s = text == null ? "" : text.strip();
        for (DateTimeFormatter f : new DateTimeFormatter[] {SPACE, T_LOCAL}) {
            try {
                return new StartTime(LocalDateTime.parse(s, f), null);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        try {
            return new StartTime(null, OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time; use " + START_TIME_FORMATS);
        }
    }

    /**
     * Parses a Go-style duration ({@code time.ParseDuration}, as DM does): a sequence of decimal numbers with
     * units, like {@code 300ms}, {@code 1.5h} or {@code 2h45m}. Negative durations are refused.
     *
     * @throws IllegalArgumentException naming the accepted format
     */
    public static Duration parseDuration(String text) {
        String s = text == null ? "" : text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use " + DURATION_FORMATS);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
            case "μs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            default:
                return 3_600_000_000_000L;
        }
    }

    /** {@link #safeModeTimeDuration} parsed; null when not given. */
    public Duration safeModeDuration() {
        return safeModeTimeDuration == null ? null : parseDuration(safeModeTimeDuration);
    }
}
