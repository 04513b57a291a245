package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one source's binlog into local files (see {@link RelayWriter}) until stopped: connects as a replica from
 * where the files end, writes every event as received, fsyncs and advances the meta every
 * {@code flushInterval}, and reconnects with exponential backoff when the connection drops, the upstream stops
 * sending heartbeats, or its dump thread is killed. An error that retrying cannot fix (purged start file, denied
 * user, files that do not fit the stream) stops it in stage {@code Paused} with the error in its status.
 */
public final class RelayUnit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayUnit.class);
    private static final int MISSED_HEARTBEATS = 3;
    private static final long FIRST_BACKOFF_MS = 500;

    private final RelayOptions opts;
    private final RelayRetention retention;
    private final Object lock = new Object();
    private final AtomicLong exitsWithError = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final RelayLog relayLog;
    private volatile boolean stopping;
    private volatile String stage = "New";
    private volatile String lastError;
    private volatile RelayMeta flushed;
    private volatile DbFlavor flavor;
    private volatile Thread thread;
    /** Whether the current connection wrote events: a connection that worked resets the backoff. */
    private volatile boolean flowed;

    public RelayUnit(RelayOptions opts, RelayRetention retention) {
        this.opts = opts;
        this.retention = retention;
        this.relayLog = RelayLog.of(this);
    }

    /** What readers in this process see of this relay. */
    public RelayLog log() {
        return relayLog;
    }

    /** Starts pulling on a thread of its own. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        stage = "Running";
        Thread t = new Thread(this::run, "relay-" + opts.source());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops pulling, flushes and closes the files; waits for the relay thread. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(opts.maxBackoff().toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public RelayOptions options() {
        return opts;
    }

    /** Running, Paused (gave up on an error) or Stopped. */
    public String stage() {
        return stage;
    }

    /** The last error (kept while retrying, cleared once events flow again). */
    public String lastError() {
        return lastError;
    }

    /** Where the relay's durable data ends; null before the first file. */
    public Optional<RelayMeta> position() {
        return Optional.ofNullable(flushed);
    }

    /** Times the relay gave up on an error ({@code dm_relay_exit_with_error_count}). */
    public long exitsWithError() {
        return exitsWithError.get();
    }

    /** Reconnections after a lost connection. */
    public long reconnects() {
        return reconnects.get();
    }

    /** The DM status, with the upstream's current position when {@code master} is given. */
    public RelayStatus status(RelayUpstream.MasterStatus master) {
        RelayMeta at = flushed;
        boolean caughtUp = master != null && at != null && master.file().equals(at.binlogName()) && master.pos() == at.binlogPos();
        return new RelayStatus(master == null ? "" : master.binlog(), master == null ? "" : master.gtid(),
                opts.dir().toString(), at == null ? "" : "(" + at.binlogName() + ", " + at.binlogPos() + ")",
                at == null ? "" : at.binlogGtid(), caughtUp, stage, lastError);
    }

    /** The upstream's position now, or null when it cannot be asked. */
    RelayUpstream.MasterStatus askMaster() {
        DbFlavor f = flavor;
        if (f == null) {
            return null;
        }
        try {
            return new RelayUpstream(opts.upstream()).masterStatus(f);
        } catch (SQLException e) {
            return null;
        }
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        try {
            while (!stopping) {
                flowed = false;
                try {
                    session();
                } catch (RelayException e) {
                    lastError = e.getMessage();
                    if (!e.retryable()) {
                        exitsWithError.incrementAndGet();
                        stage = "Paused";
                        log.error("relay {} stopped: {}", opts.source(), e.getMessage(), e);
                        return;
                    }
                    log.warn("relay {}: {} (reconnecting in {} ms)", opts.source(), e.getMessage(), backoff);
                } catch (RuntimeException e) {
                    lastError = ErrorCode.INTERNAL.message(e.toString());
                    exitsWithError.incrementAndGet();
                    stage = "Paused";
                    log.error("relay {} failed", opts.source(), e);
                    return;
                }
                if (flowed) {
                    backoff = FIRST_BACKOFF_MS;
                }
                if (!stopping) {
                    pause(backoff);
                    backoff = Math.min(backoff * 2, opts.maxBackoff().toMillis());
                    reconnects.incrementAndGet();
                }
            }
            stage = "Stopped";
        } finally {
            if (!"Paused".equals(stage)) {
                stage = "Stopped";
            }
        }
    }

    private void pause(long ms) {
        synchronized (lock) {
            long end = System.currentTimeMillis() + ms;
            long left = ms;
            while (!stopping && left > 0) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
                left = end - System.currentTimeMillis();
            }
        }
    }

    /** One connection: from the files' end until it fails or the unit stops. */
    private void session() throws RelayException {
        RelayUpstream up = new RelayUpstream(opts.upstream());
        String where = opts.upstream().host() + ":" + opts.upstream().port();
        List<String> logs;
        try {
            flavor = up.flavor();
            logs = up.binaryLogs();
        } catch (SQLException e) {
            throw RelayErrors.fromSql(opts.source(), where, e);
        }
        try (RelayWriter writer = RelayWriter.open(opts.source(), opts.dir(), flavor == DbFlavor.MARIADB)) {
            if (!writer.started()) {
                writer.start(RelayStart.choose(opts, up, flavor, logs, retention), "");
            }
            setFlushed(writer.flushed());
            RelayMeta at = writer.written();
            if (!logs.contains(at.binlogName())) {
                throw new RelayException(ErrorCode.RELAY_POSITION_UNAVAILABLE, false, null, opts.source(), at,
                        at.binlogName() + " is not among the source's binary logs " + logs);
            }
            stream(writer, at, where);
        }
    }

    private void stream(RelayWriter writer, RelayMeta at, String where) throws RelayException {
        AtomicReference<RelayException> failure = new AtomicReference<>();
        AtomicLong lastHeard = new AtomicLong(System.nanoTime());
        AtomicLong events = new AtomicLong();
        BinaryLogClient client = RelayClients.create(opts, at);
        client.registerEventListener((Event ev) -> {
            lastHeard.set(System.nanoTime());
            if (failure.get() != null || !(ev.getData() instanceof RawEvent raw)) {
                return;
            }
            synchronized (lock) {
                try {
                    writer.accept(raw);
                    events.incrementAndGet();
                    flowed = true;
                } catch (RelayException e) {
                    failure.compareAndSet(null, e);
                    lock.notifyAll();
                }
            }
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, RelayErrors.fromStream(opts.source(), where, writer.written(), ex));
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, new RelayException(ErrorCode.RELAY_CONNECT_FAILED, true, ex, opts.source(),
                        where, "unreadable event after " + writer.written() + ": " + ex));
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                failure.compareAndSet(null, new RelayException(ErrorCode.RELAY_CONNECT_FAILED, true, null, opts.source(),
                        where, "the source closed the replication connection after " + writer.written()));
            }
        });
        try {
            client.connect(opts.heartbeat().toMillis() * 30);
        } catch (IOException e) {
            throw RelayErrors.fromStream(opts.source(), where, at, e);
        } catch (TimeoutException e) {
            throw new RelayException(ErrorCode.RELAY_CONNECT_FAILED, true, e, opts.source(), where, "no answer in time");
        }
        log.info("relay {}: streaming from {} at {} as server id {}", opts.source(), where, at, opts.serverId());
        long silenceLimit = opts.heartbeat().toNanos() * MISSED_HEARTBEATS;
        try {
            while (true) {
                synchronized (lock) {
                    if (failure.get() == null && !stopping) {
                        lock.wait(opts.flushInterval().toMillis());
                    }
                    writer.flush();
                    setFlushed(writer.flushed());
                }
                if (events.get() > 0 && failure.get() == null) {
                    lastError = null;
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
                if (stopping) {
                    return;
                }
                long silent = System.nanoTime() - lastHeard.get();
                if (silent > silenceLimit) {
                    throw new RelayException(ErrorCode.RELAY_CONNECT_FAILED, true, null, opts.source(), where,
                            "nothing heard for " + silent / 1_000_000 + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            RelayClients.disconnect(client, opts.source());
            synchronized (lock) {
                setFlushed(writer.flushed());
            }
        }
    }

    /** Records the durable position and wakes the readers when it moved. */
    private void setFlushed(RelayMeta meta) {
        RelayMeta before = flushed;
        flushed = meta;
        if (meta != null && !meta.equals(before)) {
            relayLog.advanced();
        }
    }
}
