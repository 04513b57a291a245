package io.dmjava.master.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import org.junit.jupiter.api.Test;

/** Which start requests are refused before anything is asked of a source (the REST API answers 400). */
class StartArgsResolverTest {
    private static TaskConfig task(String mode) {
        return new TaskConfig("t", mode, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void wellFormedArgumentsPass() {
        StartArgsResolver.Checked c = StartArgsResolver.check(task("incremental"), "2021-10-21 00:01:00", "60s");
        assertThat(c.parsed().localText()).isEqualTo("2021-10-21 00:01:00");
        assertThat(c.safeModeTimeDuration()).isEqualTo("60s");
        assertThat(StartArgsResolver.check(task("all"), null, "2m").startTime()).isNull();
        assertThat(StartArgsResolver.check(task("all"), " ", null).isEmpty()).isTrue();
    }

    @Test
    void malformedOrInapplicableArgumentsAreRefusedNamingTheField() {
        assertCode(() -> StartArgsResolver.check(task("incremental"), "21-10-2021", null), ErrorCode.TASK_START_TIME_INVALID,
                "'start_time'", "YYYY-MM-DD HH:MM:SS");
        assertCode(() -> StartArgsResolver.check(task("incremental"), null, "60"), ErrorCode.TASK_SAFE_MODE_DURATION_INVALID,
                "'safe_mode_time_duration'", "'60s'");
        assertCode(() -> StartArgsResolver.check(task("all"), "2021-10-21 00:01:00", null), ErrorCode.TASK_START_ARGS_NOT_APPLICABLE,
                "'start_time'", "'all'");
        assertCode(() -> StartArgsResolver.check(task("full"), null, "1m"), ErrorCode.TASK_START_ARGS_NOT_APPLICABLE,
                "'safe_mode_time_duration'", "'full'");
    }

    private static void assertCode(Runnable r, ErrorCode code, String... fragments) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(DmException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(fragments);
            assertThat(code.httpStatus()).isEqualTo(400);
        });
    }
}
