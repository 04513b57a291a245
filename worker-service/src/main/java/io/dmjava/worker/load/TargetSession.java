package io.dmjava.worker.load;

import java.util.List;

/** The session settings of every downstream connection the loader opens, and why each one is there. */
public final class TargetSession {
    private TargetSession() {
    }

    public static List<String> statements() {
        return List.of(
                "SET NAMES utf8mb4",
                // The dump printed TIMESTAMPs in UTC; reading them in UTC stores the same instant.
                "SET SESSION time_zone = '+00:00'",
                // NO_AUTO_VALUE_ON_ZERO: an AUTO_INCREMENT id 0 stays 0. ALLOW_INVALID_DATES: dates the source
                // accepted load as they are. Not strict: no value is rejected that the source held.
                "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'",
                // Chunks load in any order across tables; the source already enforced its foreign keys.
                "SET SESSION foreign_key_checks = 0",
                // Unique checks stay on: on_duplicate (replace/ignore/error) depends on them.
                "SET SESSION unique_checks = 1",
                "SET SESSION net_read_timeout = 3600",
                "SET SESSION net_write_timeout = 3600",
                "SET SESSION wait_timeout = 86400");
    }
}
