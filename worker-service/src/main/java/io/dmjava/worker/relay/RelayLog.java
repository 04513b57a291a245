package io.dmjava.worker.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a reader (the sync unit) sees of one source's relay: its directory, how far its data is durable and
 * complete ({@link #committed}: always a transaction boundary, never a half-written event), and a wake-up
 * when that moves. A reader reads a relay file only up to the committed position of that file (all of a file
 * the relay has rotated away from), so it never sees a partial transaction or bytes a crashed relay cuts back.
 *
 * <p>Two kinds: the one a running {@link RelayUnit} publishes (its position from memory, readers woken at each
 * flush), and {@link #ofDirectory} for a reader in another process (the meta read from disk, short polls).
 */
public final class RelayLog {
    private static final long POLL_NANOS = 50_000_000L;

    private final String source;
    private final Path dir;
    private final Supplier<Optional<RelayMeta>> committed;
    private final BooleanSupplier running;
    private final boolean notifies;
    private final Object lock = new Object();
    private long advances;

    private RelayLog(String source, Path dir, Supplier<Optional<RelayMeta>> committed, BooleanSupplier running,
                     boolean notifies) {
        this.source = source;
        this.dir = dir;
        this.committed = committed;
        this.running = running;
        this.notifies = notifies;
    }

    /** The relay of a unit in this process: {@link #advanced} is called after each flush that moved the meta. */
    static RelayLog of(RelayUnit unit) {
        RelayOptions o = unit.options();
        return new RelayLog(o.source(), o.dir(), unit::position, () -> "Running".equals(unit.stage()), true);
    }

    /**
     * A relay directory written by another process: the committed position is its {@code relay.meta}, re-read on
     * every look; counted as running while {@code running} says so.
     */
    public static RelayLog ofDirectory(String source, Path dir, BooleanSupplier running) {
        return new RelayLog(source, dir, () -> {
            try {
                return RelayMeta.read(dir);
            } catch (IOException e) {
                return Optional.empty(); // replaced at this moment, or not written yet: the next look sees it
            }
        }, running, false);
    }

    public String source() {
        return source;
    }

    public Path dir() {
        return dir;
    }

    /** Whether the relay is pulling (stage Running): a relay that stopped or gave up does not grow any more. */
    public boolean running() {
        return running.getAsBoolean();
    }

    /** Where the relay's complete, durable data ends; empty before its first file. */
    public Optional<RelayMeta> committed() {
        return committed.get();
    }

    /** The relay's binlog files, oldest first. */
    public List<String> files() throws IOException {
        return BinlogNames.list(dir);
    }

    /**
     * Waits up to {@code nanos} for the committed position to move (a flush of this process's relay), or a short
     * poll for a relay of another process. Returns early on a move; callers re-read {@link #committed}.
     */
    public void awaitAdvance(long nanos) throws InterruptedException {
        if (!notifies) {
            Thread.sleep(Math.max(1, Math.min(nanos, POLL_NANOS) / 1_000_000));
            return;
        }
        long end = System.nanoTime() + nanos;
        synchronized (lock) {
            long seen = advances;
            long left = nanos;
            while (advances == seen && left > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
                left = end - System.nanoTime();
            }
        }
    }

    /** The relay flushed and moved its meta: wakes the readers. */
    void advanced() {
        synchronized (lock) {
            advances++;
            lock.notifyAll();
        }
    }
}
