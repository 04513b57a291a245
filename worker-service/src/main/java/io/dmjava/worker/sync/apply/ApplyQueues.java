package io.dmjava.worker.sync.apply;

import io.dmjava.model.error.DmException;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.sync.checkpoint.AppliedMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The {@code repl_threads} apply queues, each drained by its own thread and downstream connection in
 * transactions of up to {@code repl_batch} changes. The dispatcher thread is the only producer; it waits for
 * every queue to be empty and committed with {@link #drain} before a DDL or a checkpoint.
 */
public final class ApplyQueues implements AutoCloseable {
    /** Bounded so that a huge upstream transaction never sits whole in memory. */
    static final int CAPACITY = 1024;

    private final List<BlockingQueue<Job>> queues = new ArrayList<>();
    private final List<QueueWorker> workers = new ArrayList<>();
    private final long[] enqueued;
    private final Object progress = new Object();
    private final AtomicReference<DmException> failure = new AtomicReference<>();

    public ApplyQueues(int count, int batch, JdbcConnector target, SyncCheckpointStore store, ApplyMetrics metrics) {
        enqueued = new long[count];
        for (int i = 0; i < count; i++) {
            BlockingQueue<Job> q = new ArrayBlockingQueue<>(CAPACITY);
            queues.add(q);
            workers.add(new QueueWorker(i, count, batch, q, target, store, metrics, this::committed, e -> failure.compareAndSet(null, e)));
        }
    }

    public void start(String threadPrefix) {
        for (QueueWorker w : workers) {
            w.start(threadPrefix);
        }
    }

    public int size() {
        return queues.size();
    }

    /** Changes waiting or in flight, over all queues. */
    public long pending() {
        long sum = 0;
        for (int i = 0; i < queues.size(); i++) {
            sum += enqueued[i] - workers.get(i).committed();
        }
        return sum;
    }

    /** Adds a change to a queue, waiting while it is full; fails fast once any queue failed or a stop is asked. */
    public void put(int queue, Job job, BooleanSupplier stop) throws InterruptedException {
        BlockingQueue<Job> q = queues.get(queue);
        while (!q.offer(job, 100, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
            if (stop.getAsBoolean() && !workers.get(queue).isAlive()) {
                throw new InterruptedException("apply queue " + queue + " stopped");
            }
        }
        enqueued[queue]++;
        throwIfFailed();
    }

    /** Waits until every queued change is committed downstream. */
    public void drain() throws InterruptedException {
        synchronized (progress) {
            while (pending() > 0) {
                throwIfFailed();
                progress.wait(200);
            }
        }
        throwIfFailed();
    }

    /** Throws the first failure of any queue. */
    public void throwIfFailed() {
        DmException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Each queue's last committed change in this run (queues that committed nothing are absent). */
    public Map<Integer, AppliedMark> marks() {
        Map<Integer, AppliedMark> out = new java.util.HashMap<>();
        for (QueueWorker w : workers) {
            AppliedMark m = w.lastMark();
            if (m != null) {
                out.put(m.queue(), m);
            }
        }
        return out;
    }

    private void committed() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Stops the workers after what they hold is committed (call {@link #drain} first for a clean stop). */
    @Override
    public void close() {
        for (QueueWorker w : workers) {
            w.stop();
        }
        for (QueueWorker w : workers) {
            w.join();
        }
    }
}
