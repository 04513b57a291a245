package io.dmjava.worker.subtask;

import io.dmjava.model.error.DmException;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.sync.binlog.BinlogStreamException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * DM's auto-resume, for one subtask: a run that an error paused is started again by the worker itself when the
 * error is transient (a database that restarted or dropped the connection, a deadlock), after a backoff that
 * doubles from 1 s up to 60 s and starts over once a run has lasted 10 s. Every unit resumes exactly from its
 * checkpoints, so a restart is always safe; the status shows the error until the next run starts. Errors that
 * need a person (privileges, a rejected DDL, a fenced worker) are not transient and stay paused until
 * {@code resume}.
 */
final class AutoResume {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    /**
     * A run that lasted this long got going (connected, read its checkpoint, replicated): its failure is a new
     * incident and the backoff starts over. Runs that fail at once (the database is still down) keep doubling it.
     * A minute was too long: under a fault every 20 s (the chaos test) unrelated incidents added up to 60 s waits.
     */
    static final Duration STABLE = Duration.ofSeconds(10);

    private Object failedRun;
    private int attempts;
    private long notBefore;

    /**
     * Whether {@code error} (a unit's failure) can go away by itself. The fencing errors never can: a newer owner
     * or a lost lease is handled by the worker's epochs, not by retrying.
     */
    static boolean isTransient(Throwable error) {
        if (error instanceof DmException dm && dm.errorCode().code() / 1000 == 53) {
            return false;
        }
        if (SqlErrors.isRetryable(error)) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BinlogStreamException b) {
                return b.retryable();
            }
            if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failed run {@code run} (which lasted {@code ranNanos}) is due to be started again at {@code now}.
     * The first call for a run schedules it.
     */
    boolean due(Object run, long ranNanos, long now) {
        if (run != failedRun) {
            failedRun = run;
            if (ranNanos >= STABLE.toNanos()) {
                attempts = 0;
            }
            notBefore = now + delay(attempts).toNanos();
            attempts++;
        }
        return now - notBefore >= 0;
    }

    /** How many times in a row runs failed transiently (reset by a stable run). */
    int attempts() {
        return attempts;
    }

    static Duration delay(int attempts) {
        Duration d = FIRST.multipliedBy(1L << Math.min(attempts, 6));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
