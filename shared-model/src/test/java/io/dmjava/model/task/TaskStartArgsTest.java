package io.dmjava.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** start_time and safe_mode_time_duration are read as DM reads them (plus RFC 3339 instants). */
class TaskStartArgsTest {
    @Test
    void startTimeInDmsFormatsIsAWallClockTimeOfTheUpstream() {
        LocalDateTime expected = LocalDateTime.of(2021, 10, 21, 0, 1, 0);
        assertThat(TaskStartArgs.parseStartTime("2021-10-21 00:01:00").local()).isEqualTo(expected);
        assertThat(TaskStartArgs.parseStartTime("2021-10-21T00:01:00").local()).isEqualTo(expected);
        assertThat(TaskStartArgs.parseStartTime(" 2021-10-21 00:01:00 ").localText()).isEqualTo("2021-10-21 00:01:00");
    }

    @Test
    void startTimeWithAnOffsetIsAnInstant() {
        TaskStartArgs.StartTime t = TaskStartArgs.parseStartTime("2021-10-21T00:01:00+08:00");
        assertThat(t.local()).isNull();
        assertThat(t.instant().toEpochSecond()).isEqualTo(1634745660L);
        assertThat(TaskStartArgs.parseStartTime("2021-10-20T16:01:00Z").instant().toEpochSecond()).isEqualTo(1634745660L);
    }

    @Test
    void anythingElseIsRefusedNamingTheFormats() {
        for (String bad : new String[] {"", "yesterday", "2021-10-21", "2021-13-01 00:00:00", "2021-10-21 25:00:00",
                "1634745660", "2021/10/21 00:01:00"}) {
            assertThatThrownBy(() -> TaskStartArgs.parseStartTime(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YYYY-MM-DD HH:MM:SS");
        }
    }

    @Test
    void durationsAreGoDurations() {
        assertThat(TaskStartArgs.parseDuration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(TaskStartArgs.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(TaskStartArgs.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(TaskStartArgs.parseDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(TaskStartArgs.parseDuration("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(TaskStartArgs.parseDuration("2h45m10s5ms")).isEqualTo(Duration.ofSeconds(9910).plusMillis(5));
        assertThat(TaskStartArgs.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(TaskStartArgs.parseDuration("0s")).isEqualTo(Duration.ZERO);
        assertThat(TaskStartArgs.parseDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
        for (String bad : new String[] {"", "60", "-5s", "1d", "s", "1 m", "1h 30m", "one minute"}) {
            assertThatThrownBy(() -> TaskStartArgs.parseDuration(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'60s'");
        }
    }
}
