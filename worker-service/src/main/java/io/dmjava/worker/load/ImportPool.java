package io.dmjava.worker.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The import threads: a fixed pool with a bounded queue. Submission stops at the first failure or stop
 * request; chunks already running finish (each is one transaction, committed or rolled back as a whole).
 */
final class ImportPool implements AutoCloseable {
    /** Work for one item. */
    @FunctionalInterface
    interface Task<T> {
        void run(T item) throws Exception;
    }

    private final ThreadPoolExecutor executor;
    private final Semaphore inFlight;
    private final BooleanSupplier stop;
    private final AtomicBoolean failed = new AtomicBoolean();

    ImportPool(int threads, BooleanSupplier stop) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2 * threads),
                r -> {
                    Thread t = new Thread(r, "load-import-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // As many permits as the queue has room, so a submit can never find it full (see ExportPool).
        this.inFlight = new Semaphore(2 * threads);
        this.stop = stop;
    }

    /** Runs {@code task} on every item; rethrows the first failure (unchecked as is, checked wrapped). */
    <T> void runAll(List<T> items, Task<T> task) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            if (failed.get() || stop.getAsBoolean()) {
                break;
            }
            inFlight.acquire();
            futures.add(executor.submit(() -> {
                try {
                    if (!failed.get() && !stop.getAsBoolean()) {
                        task.run(item);
                    }
                    return null;
                } catch (Exception | Error e) {
                    failed.set(true);
                    throw e;
                } finally {
                    inFlight.release();
                }
            }));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    first = cause instanceof RuntimeException re ? re : new RuntimeException(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
