package io.dmjava.testsupport;

/**
 * Counts before-all/after-all pairs. JUnit calls a static {@code @RegisterExtension}'s class callbacks
 * again for every {@code @Nested} class, and the resource must live for the outermost class only.
 */
final class NestingGuard {

    private int depth;

    /** Returns true on the outermost entry, when the resource must be started. */
    synchronized boolean enter() {
        return depth++ == 0;
    }

    /** Returns true on the outermost exit, when the resource must be closed. */
    synchronized boolean exit() {
        return depth > 0 && --depth == 0;
    }
}
