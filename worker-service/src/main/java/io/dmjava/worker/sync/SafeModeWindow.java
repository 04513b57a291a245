package io.dmjava.worker.sync;

import java.time.Duration;

/**
 * {@code safe_mode_time_duration} (DM's safe-mode-duration start argument): after the start, changes are written
 * idempotently until the binlog's time passes the first transaction's time plus the duration. Measured in binlog
 * time, as DM does, so a replay after a crash covers the same transactions; the end is saved with the checkpoint
 * once known, and a restart of the same start request continues the same window.
 */
final class SafeModeWindow {
    private static final SafeModeWindow NONE = new SafeModeWindow(null, null);

    private final Duration duration;
    private Long exitTs;
    private boolean open;

    private SafeModeWindow(Duration duration, Long exitTs) {
        this.duration = duration;
        this.exitTs = exitTs;
        this.open = duration != null || exitTs != null;
    }

    static SafeModeWindow none() {
        return NONE;
    }

    /**
     * @param duration how long the window lasts in binlog time
     * @param exitTs   its end (epoch seconds) when an earlier run of the same request already knew it, else null
     */
    static SafeModeWindow of(Duration duration, Long exitTs) {
        return duration == null && exitTs == null ? NONE : new SafeModeWindow(duration, exitTs);
    }

    boolean open() {
        return open;
    }

    /** The window's end in binlog time (epoch seconds); null while unknown or without a window. */
    Long exitTs() {
        return exitTs;
    }

    /** A transaction committed at {@code timestampMillis} (upstream time): opens the clock, or closes the window. */
    void committed(long timestampMillis) {
        if (!open) {
            return;
        }
        long seconds = timestampMillis / 1000;
        if (exitTs == null) {
            // whole seconds, as binlog timestamps are: a partial second counts as a whole one
            long span = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
            exitTs = seconds + span;
        } else if (seconds > exitTs) {
            open = false;
        }
    }
}
