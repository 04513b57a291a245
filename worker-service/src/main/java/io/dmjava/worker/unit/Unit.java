package io.dmjava.worker.unit;

/**
 * One step of a subtask: {@code dump}, {@code load}, {@code sync} (and {@code relay} per source). The
 * subtask runner calls {@link #run} on its own thread; a unit is resumable: after a pause, a failure or
 * a process crash, a new instance's {@code run} continues from the unit's last checkpoint.
 */
public interface Unit {
    /** {@code dump}, {@code load}, {@code sync} or {@code relay}: DM's unit names, shown in task status. */
    String type();

    /**
     * Does the unit's work. Returns normally when the work is complete, or early when
     * {@link UnitContext#stopRequested()} turns true (a pause or stop; the unit then leaves a state a later
     * run can continue from). Throws {@link UnitException} for a failure the user must see; retryable
     * failures (deadlock, lock wait timeout, lost connection) are retried inside first.
     */
    void run(UnitContext ctx) throws InterruptedException;

    /** A snapshot of progress for the task status API ({@code dump_status}, {@code load_status}, ...). */
    Object status();

    /** The unit doing the work, when this one only wraps it (e.g. to record a mark around it); else itself. */
    default Unit unwrapped() {
        return this;
    }
}
