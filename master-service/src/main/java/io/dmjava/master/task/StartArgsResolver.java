package io.dmjava.master.task;

import io.dmjava.master.source.SourceService;
import io.dmjava.master.source.UpstreamProbe;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskStartArgs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a start request's {@code start_time} and {@code safe_mode_time_duration} and turns them into each
 * subtask's {@link TaskStartArgs}. A {@code start_time} without an offset is a wall-clock time of the upstream:
 * each source's server converts it with its own {@code time_zone}, as DM reads it in the upstream's zone. A time
 * after the upstream's clock is refused at once (DM: "too late, no binlog location matches it").
 */
final class StartArgsResolver {
    private static final Set<String> REPLICATING = Set.of("incremental", "all");

    private final SourceService sources;
    private final SecretCipher cipher;

    StartArgsResolver(SourceService sources, SecretCipher cipher) {
        this.sources = sources;
        this.cipher = cipher;
    }

    /** A start request's arguments, checked against the task; {@link #NONE} when it gave neither. */
    record Checked(String startTime, TaskStartArgs.StartTime parsed, String safeModeTimeDuration) {
        static final Checked NONE = new Checked(null, null, null);

        boolean isEmpty() {
            return startTime == null && safeModeTimeDuration == null;
        }
    }

    /**
     * @throws DmException 41015 / 41016 for a malformed value, 41018 when the task's mode has no use for it
     */
    static Checked check(TaskConfig task, String startTime, String safeModeTimeDuration) {
        String time = blankToNull(startTime);
        String duration = blankToNull(safeModeTimeDuration);
        TaskStartArgs.StartTime parsed = null;
        if (time != null) {
            try {
                parsed = TaskStartArgs.parseStartTime(time);
            } catch (IllegalArgumentException e) {
                throw new DmException(ErrorCode.TASK_START_TIME_INVALID, e.getMessage());
            }
            if (!"incremental".equals(task.taskMode())) {
                throw new DmException(ErrorCode.TASK_START_ARGS_NOT_APPLICABLE, "start_time", task.name(),
                        "its task_mode is '" + task.taskMode() + "'");
            }
        }
        if (duration != null) {
            try {
                TaskStartArgs.parseDuration(duration);
            } catch (IllegalArgumentException e) {
                throw new DmException(ErrorCode.TASK_SAFE_MODE_DURATION_INVALID, e.getMessage());
            }
            if (!REPLICATING.contains(task.taskMode())) {
                throw new DmException(ErrorCode.TASK_START_ARGS_NOT_APPLICABLE, "safe_mode_time_duration", task.name(),
                        "its task_mode '" + task.taskMode() + "' does not replicate the binlog");
            }
        }
        return time == null && duration == null ? Checked.NONE : new Checked(time, parsed, duration);
    }

    /**
     * Each source's arguments under one new request id (empty map for {@link Checked#NONE}).
     *
     * @throws DmException 41017 when the time is after a source's clock, 41019 when a source cannot resolve it
     */
    Map<String, TaskStartArgs> resolve(Checked checked, List<String> targets) {
        Map<String, TaskStartArgs> out = new LinkedHashMap<>();
        if (checked.isEmpty()) {
            return out;
        }
        String request = UUID.randomUUID().toString();
        for (String source : targets) {
            Long epoch = checked.parsed() == null ? null : epochSecond(source, checked);
            out.put(source, new TaskStartArgs(request, checked.startTime(), epoch, checked.safeModeTimeDuration()));
        }
        return out;
    }

    private long epochSecond(String source, Checked checked) {
        SourceConfig s = sources.stored(source);
        try (Connection c = UpstreamProbe.connect(source, s.host(), s.port(), s.user(), cipher.decrypt(s.password()))) {
            try (Statement st = c.createStatement()) {
                st.execute("SET time_zone = @@GLOBAL.time_zone"); // the server's own zone, whatever the driver set
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT UNIX_TIMESTAMP(CAST(? AS DATETIME)), UNIX_TIMESTAMP(),"
                    + " CAST(? AS DATETIME) > NOW(), @@time_zone")) {
                String local = checked.parsed().local() == null ? "2000-01-01 00:00:00" : checked.parsed().localText();
                ps.setString(1, local);
                ps.setString(2, local);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long now = rs.getLong(2);
                    String zone = rs.getString(4);
                    long epoch = rs.getLong(1);
                    boolean unresolved = rs.wasNull() || epoch <= 0;
                    boolean later = checked.parsed().instant() == null ? rs.getBoolean(3)
                            : checked.parsed().instant().toEpochSecond() > now;
                    if (later) {
                        throw new DmException(ErrorCode.TASK_START_TIME_TOO_LATE, checked.startTime(), source,
                                Instant.ofEpochSecond(now) + ", time zone " + zone);
                    }
                    if (checked.parsed().instant() != null) {
                        return checked.parsed().instant().toEpochSecond();
                    }
                    if (unresolved) {
                        throw new DmException(ErrorCode.TASK_START_TIME_UNRESOLVED, checked.startTime(), source,
                                "the source cannot convert it from its time zone '" + zone + "' (before 1970?)");
                    }
                    return epoch;
                }
            }
        } catch (SQLException e) {
            throw new DmException(ErrorCode.TASK_START_TIME_UNRESOLVED, e, checked.startTime(), source, e.getMessage());
        } catch (DmException e) {
            if (e.errorCode() == ErrorCode.SOURCE_UNREACHABLE) {
                throw new DmException(ErrorCode.TASK_START_TIME_UNRESOLVED, e, checked.startTime(), source, e.getMessage());
            }
            throw e;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
