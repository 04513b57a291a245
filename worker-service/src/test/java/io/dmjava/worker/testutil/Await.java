package io.dmjava.worker.testutil;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A bounded wait (at most 60 s, polled every 50 ms) for a condition; the failure says what was awaited. */
public final class Await {
    private static final int POLLS = 1200;

    private Await() {
    }

    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        until(condition, () -> what);
    }

    /** @param what evaluated only on timeout: the state at that moment */
    public static void until(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        for (int i = 0; i < POLLS; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting: " + what.get());
    }
}
