package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** safe_mode_time_duration is measured in binlog time from the first transaction read. */
class SafeModeWindowTest {
    @Test
    void opensAtTheStartAndClosesOnceTheBinlogTimePassesTheFirstTransactionPlusTheDuration() {
        SafeModeWindow w = SafeModeWindow.of(Duration.ofSeconds(60), null);
        assertThat(w.open()).isTrue();
        w.committed(1_000_000_500L); // second 1_000_000
        assertThat(w.exitTs()).isEqualTo(1_000_060L);
        w.committed(1_000_060_999L);
        assertThat(w.open()).as("the exit second itself is still inside").isTrue();
        w.committed(1_000_061_000L);
        assertThat(w.open()).isFalse();
        w.committed(1_000_000_000L);
        assertThat(w.open()).as("closed for good").isFalse();
    }

    @Test
    void aKnownEndIsContinuedAndPartialSecondsCountWhole() {
        SafeModeWindow resumed = SafeModeWindow.of(Duration.ofSeconds(60), 2_000L);
        resumed.committed(1_999_000L);
        assertThat(resumed.open()).isTrue();
        resumed.committed(2_001_000L);
        assertThat(resumed.open()).isFalse();
        SafeModeWindow half = SafeModeWindow.of(Duration.ofMillis(500), null);
        half.committed(10_000L);
        assertThat(half.exitTs()).isEqualTo(11L);
        assertThat(SafeModeWindow.of(null, null).open()).isFalse();
    }
}
