package io.dmjava.worker.db;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts a connection whose upload (LOAD DATA LOCAL) stopped moving. When the server drops a connection in
 * the middle of the upload (KILL, restart), it stops reading but the socket is not reset at once, and a Java
 * socket write has no timeout: the client would sit blocked for minutes. The watchdog sees that the driver
 * has not read from the file for {@code stall}, aborts the connection, and the blocked write fails with a
 * connection error, which is retried. {@code stall} must exceed the server's lock wait timeout, since a
 * statement waiting for a row lock legitimately stops reading its upload.
 */
public final class StallWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StallWatchdog.class);

    private final long stallNanos;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public StallWatchdog(Duration stall) {
        this.stallNanos = stall.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upload-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, stall.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** Wraps {@code in} so that reads count as progress of {@code connection}'s upload; close it when done. */
    public InputStream watch(Connection connection, InputStream in) {
        Watched w = new Watched(in, connection);
        watched.add(w);
        return w;
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            if (!w.eof && !w.aborted && now - w.lastRead > stallNanos) {
                w.aborted = true;
                log.warn("upload stalled for {} ms: the server stopped reading; aborting the connection", stallNanos / 1_000_000);
                try {
                    w.connection.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    log.warn("aborting a stalled connection failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class Watched extends FilterInputStream {
        final Connection connection;
        volatile long lastRead = System.nanoTime();
        volatile boolean eof;
        volatile boolean aborted;

        Watched(InputStream in, Connection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            progress(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            progress(n);
            return n;
        }

        private void progress(int n) {
            lastRead = System.nanoTime();
            if (n < 0) {
                eof = true; // from here on the driver waits for the reply, which the socket timeout bounds
            }
        }

        @Override
        public void close() throws IOException {
            watched.remove(this);
            super.close();
        }
    }
}
