package io.dmjava.worker.unit;

/**
 * A unit that can run alongside the unit before it in its chain, consuming that unit's output while it is
 * produced (the load importing chunks while the dump still writes more). The subtask runner starts it
 * together with that unit when {@link #followsPrevious()} is true; the unit itself returns only once the
 * previous unit's output is complete and consumed (or on a stop request, or when that unit ended without
 * finishing).
 */
public interface PipelinedUnit extends Unit {
    /** Whether this instance follows the previous unit's output as it appears (else it runs after that unit). */
    boolean followsPrevious();
}
