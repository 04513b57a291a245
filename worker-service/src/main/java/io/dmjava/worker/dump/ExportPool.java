package io.dmjava.worker.dump;

import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.unit.UnitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs dump work on the export threads, each job borrowing one snapshot session. A job failing with a lost
 * connection gets a fresh session with its own snapshot (and position) and runs again; that is why every
 * chunk records the position of the session that read it.
 */
final class ExportPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportPool.class);

    /** Work done with one session. */
    @FunctionalInterface
    interface Job<R> {
        R run(SnapshotSession session) throws Exception;
    }

    /** Opens a replacement session when one is lost. */
    @FunctionalInterface
    interface SessionOpener {
        SnapshotSession open() throws SQLException;
    }

    /** A slot holds a session, or null once its session was lost and not yet replaced. */
    private static final class Slot {
        SnapshotSession session;

        Slot(SnapshotSession session) {
            this.session = session;
        }
    }

    private final BlockingQueue<Slot> slots;
    private final ThreadPoolExecutor executor;
    private final Semaphore inFlight;
    private final SessionOpener opener;
    private final SqlRetry retry;
    private final BooleanSupplier stop;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicInteger reopened = new AtomicInteger();

    ExportPool(List<SnapshotSession> sessions, SessionOpener opener, SqlRetry retry, BooleanSupplier stop) {
        int n = sessions.size();
        this.slots = new ArrayBlockingQueue<>(n);
        sessions.forEach(s -> slots.add(new Slot(s)));
        AtomicInteger threadNo = new AtomicInteger();
        // A bounded queue plus a semaphore with as many permits as the queue has room: a permit is released
        // before its thread takes the next job, so only then can a submit never find the queue full.
        this.executor = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2 * n), r -> {
            Thread t = new Thread(r, "dump-export-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(2 * n);
        this.opener = opener;
        this.retry = retry;
        this.stop = stop;
    }

    /** How many sessions had to be replaced (each with its own snapshot). */
    int reopenedSessions() {
        return reopened.get();
    }

    /**
     * Runs every job and returns their results in order; a job skipped because of a stop request or an
     * earlier failure yields {@code null}. The first failure is rethrown after the running jobs end.
     */
    <R> List<R> runAll(List<? extends Job<R>> jobs, IntFunction<String> label) throws Exception {
        List<Future<R>> futures = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            if (failed.get() || stop.getAsBoolean()) {
                break;
            }
            Job<R> job = jobs.get(i);
            String what = label.apply(i);
            inFlight.acquire();
            try {
                futures.add(executor.submit(() -> {
                    try {
                        return failed.get() || stop.getAsBoolean() ? null : runWithRetry(what, job);
                    } finally {
                        inFlight.release();
                    }
                }));
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }
        List<R> results = new ArrayList<>(jobs.size());
        Exception first = null;
        for (Future<R> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                failed.set(true);
                if (first == null) {
                    first = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
                results.add(null);
            }
        }
        if (first != null) {
            throw first;
        }
        while (results.size() < jobs.size()) {
            results.add(null);
        }
        return results;
    }

    /** Runs a job with retries; a failure that remains is reported as DUMP_TABLE_FAILED naming {@code what}. */
    private <R> R runWithRetry(String what, Job<R> job) throws Exception {
        try {
            return retry.call(what, () -> attempt(what, job));
        } catch (DmException | InterruptedException | ChunkWriter.Stopped e) {
            throw e;
        } catch (Exception e) {
            throw new UnitException(ErrorCode.DUMP_TABLE_FAILED, e, what, SqlErrors.describe(e));
        }
    }

    private <R> R attempt(String what, Job<R> job) throws Exception {
        Slot slot = slots.take();
        try {
            if (slot.session == null) {
                slot.session = opener.open();
                reopened.incrementAndGet();
                log.warn("{}: export connection replaced; new snapshot at {}", what, slot.session.position());
            }
            return job.run(slot.session);
        } catch (Exception e) {
            if (SqlErrors.isRetryable(e) && slot.session != null) {
                slot.session.close();
                slot.session = null;
            }
            throw e;
        } finally {
            slots.add(slot);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Slot slot : slots) {
            if (slot.session != null) {
                slot.session.close();
            }
        }
    }
}
