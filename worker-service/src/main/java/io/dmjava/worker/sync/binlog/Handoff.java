package io.dmjava.worker.sync.binlog;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the client thread (producer) and the single consumer, bounded by event count and
 * by binlog bytes: the producer blocks while it is full, so the client stops reading the socket and a huge
 * transaction is never held whole. A failure is kept aside and raised once the events before it are taken.
 */
final class Handoff {
    private record Item(BinlogEvent event, long bytes) {
    }

    private final int maxEvents;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long bytes;
    private BinlogStreamException failure;
    private boolean closed;

    Handoff(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Enqueues an event, waiting for room. An event larger than the byte bound is admitted into an empty queue.
     *
     * @return false when the handoff was closed or failed meanwhile (the event is dropped: nobody will read it)
     */
    boolean put(BinlogEvent event, long size) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && failure == null
                    && (items.size() >= maxEvents || (!items.isEmpty() && bytes + size > maxBytes))) {
                notFull.await();
            }
            if (closed || failure != null) {
                return false;
            }
            items.addLast(new Item(event, size));
            bytes += size;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, waiting up to {@code nanos}; null on timeout.
     *
     * @throws BinlogStreamException the recorded failure, once every event before it was taken
     */
    BinlogEvent poll(long nanos) throws BinlogStreamException, InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (items.isEmpty() && failure == null && left > 0) {
                left = notEmpty.awaitNanos(left);
            }
            Item item = items.pollFirst();
            if (item != null) {
                bytes -= item.bytes();
                notFull.signal();
                return item.event();
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Records the first failure; later ones are consequences of it and are dropped. */
    void fail(BinlogStreamException e) {
        lock.lock();
        try {
            if (failure == null && !closed) {
                failure = e;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The failure, when one was recorded and no event is waiting before it; else null. */
    BinlogStreamException failureIfDrained() {
        lock.lock();
        try {
            return items.isEmpty() ? failure : null;
        } finally {
            lock.unlock();
        }
    }

    boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes and releases the producer; events still queued are dropped. */
    void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            bytes = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
