package io.dmjava.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a server until it answers, failing fast if its process dies meanwhile. */
final class Readiness {

    // Short, because both servers come up in well under a second and tests start many of them.
    private static final long POLL_MILLIS = 25;
    private static final int LOG_TAIL_LINES = 40;

    private Readiness() {
    }

    /**
     * Waits until {@code ready} holds. Throws {@link IllegalStateException} quoting the tail of the
     * process log if the process exits first or {@code timeout} passes.
     */
    static void await(ManagedProcess process, String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw failure(process, what + ": process exited with status " + process.exitValue()
                        + " before it was ready");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure(process, what + ": not ready after " + timeout);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(process, what + ": interrupted while waiting");
            }
        }
    }

    static IllegalStateException failure(ManagedProcess process, String message) {
        return new IllegalStateException(message + "; last lines of " + process.logFile() + ":\n"
                + process.tailLog(LOG_TAIL_LINES));
    }
}
