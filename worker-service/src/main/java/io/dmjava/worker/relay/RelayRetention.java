package io.dmjava.worker.relay;

import java.util.Optional;

/**
 * The hook that keeps relay files a reader still needs: before deleting anything, the purger asks every
 * registered retention (Spring beans of this type on the worker) for the oldest upstream binlog file that a
 * running reader of the source (a sync unit reading the relay, a subtask about to start from a checkpoint) will
 * still read, and keeps that file and every later one.
 *
 * <p>Contract: answer from memory, quickly, without blocking on the network; answer the file of the smallest
 * checkpoint of every subtask of {@code source} on this worker that is not Stopped/Finished, empty when none
 * reads the relay. An answer that is too old only keeps files longer; one that is too new lets a purge delete a
 * file still to be read, so round down when unsure.
 */
@FunctionalInterface
public interface RelayRetention {
    /** The oldest relay file of {@code source} still needed, e.g. {@code mysql-bin.000007}; empty when none is. */
    Optional<String> oldestNeeded(String source);
}
