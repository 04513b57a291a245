package io.dmjava.worker.sync.checkpoint;

/**
 * What the checkpoint records of the start request it follows (docs/sync.md "start_time").
 *
 * @param request        the id of the start request whose {@code start_time} / {@code safe_mode_time_duration}
 *                       the sync unit has acted on; a restart with the same request resumes from the checkpoint
 *                       instead of searching the binlog again; null when none
 * @param safeModeExitTs the binlog time (epoch seconds) until which that request's safe mode lasts; null when
 *                       there is none or it is not known yet (the window starts at the first transaction read)
 */
public record StartMark(String request, Long safeModeExitTs) {
    public static final StartMark NONE = new StartMark(null, null);
}
