package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AnnotateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidListEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MissingTableMapEventException;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XAPrepareEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.unit.DbConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream's binlog as a pull-based stream of {@link BinlogEvent}s for one consumer thread.
 *
 * <p>Connects as a replica ({@code COM_BINLOG_DUMP}) with the given server id, from a file/pos or from a
 * GTID set. A library thread reads and decodes events into a bounded queue ({@link BinlogStreamOptions}) and
 * blocks when it is full, so memory stays bounded whatever the transaction size. Every event carries where the
 * stream stands after it (see {@link BinlogEvent#position()}).
 *
 * <p>The stream never reconnects by itself: a drop, a missed heartbeat (nothing heard for three heartbeat
 * intervals) or a refusal surfaces as a {@link BinlogStreamException} from {@link #next}, and the caller
 * opens a new stream from its last transaction boundary (the position of a {@link TxnCommit} or a DDL
 * {@link QueryEvent}). Resuming anywhere else would start without the table map of the rows that follow.
 */
public final class BinlogStream implements BinlogInput {
    private static final Logger log = LoggerFactory.getLogger(BinlogStream.class);
    private static final int MISSED_HEARTBEATS = 3;

    private final String source;
    private final StartPoint start;
    private final BinlogStreamOptions options;
    private final BinaryLogClient client;
    private final EventTranslator translator;
    private final Handoff handoff;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile boolean streaming;
    private BinlogPosition delivered;

    private BinlogStream(DbConfig config, StartPoint start, BinlogStreamOptions options) {
        this.source = config.host() + ":" + config.port();
        this.start = start;
        this.options = options;
        this.handoff = new Handoff(options.maxQueuedEvents(), options.maxQueuedBytes());
        Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        GtidTracker gtids = new GtidTracker(start.flavor(), start.gtid());
        this.translator = new EventTranslator(tableMaps, gtids, source, start.byGtid() ? "" : start.file(),
                start.byGtid() ? 0 : start.pos());
        this.delivered = translator.current();
        this.client = new BinaryLogClient(config.host(), config.port(), config.user(),
                config.password() == null ? "" : config.password());
        client.setServerId(options.serverId());
        client.setBlocking(true);
        // The caller reconnects from a transaction boundary; the library's reconnect would resume mid-transaction.
        client.setKeepAlive(false);
        client.setHeartbeatInterval(options.heartbeatInterval().toMillis());
        client.setConnectTimeout(options.connectTimeout().toMillis());
        // 4 = MARIA_SLAVE_CAPABILITY_GTID: real GTID events instead of fake BEGIN queries.
        client.setMariaDbSlaveCapability(4);
        client.setEventDeserializer(deserializer(tableMaps));
        client.setThreadFactory(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        if (start.byGtid()) {
            client.setGtidSet(start.gtid());
        } else {
            client.setBinlogFilename(start.file());
            client.setBinlogPosition(start.pos());
        }
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new Lifecycle());
    }

    /**
     * Connects and waits until the source has accepted the start point (its first event arrived).
     *
     * @param source  the upstream and its replication user
     * @param start   where to start: its file/pos, or its GTID set when {@code byGtid}; its GTID set is also the
     *                set executed at that point (read from the source when empty on MariaDB)
     * @param byGtid  start from {@code start.gtid()} (falls back to file/pos when that set is empty)
     * @param options server id, heartbeat, bounds
     * @throws BinlogStreamException when the source is unreachable, refuses the user or the start point, or
     *                               does not log ROW events with full images
     */
    public static BinlogStream open(DbConfig source, BinlogPosition start, boolean byGtid, BinlogStreamOptions options)
            throws BinlogStreamException {
        StartPoint point = StartPoint.resolve(source, start, byGtid);
        BinlogStream stream = new BinlogStream(source, point, options);
        try {
            stream.connect();
            return stream;
        } catch (BinlogStreamException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private void connect() throws BinlogStreamException {
        long timeoutMs = options.connectTimeout().toMillis();
        try {
            client.connect(timeoutMs);
        } catch (IOException e) {
            throw BinlogErrors.fromStream(source, e, true, start.describe(), start.describe());
        } catch (TimeoutException e) {
            throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, true, e, source,
                    "no answer within " + timeoutMs + " ms");
        }
        try {
            // A refused start point (purged file, unknown GTID) arrives as the first packet after the dump request.
            if (!started.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, true, null, source,
                        "the binlog dump sent nothing within " + timeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECT_FAILED, true, e, source, "interrupted");
        }
        BinlogStreamException refused = handoff.failureIfDrained();
        if (refused != null) {
            throw refused;
        }
        streaming = true;
        log.info("binlog stream from {} started at {} as server id {} ({})", source, start.describe(),
                options.serverId(), start.flavor());
    }

    @Override
    public String type() {
        return "remote";
    }

    /**
     * The next event, waiting up to {@code timeout}.
     *
     * @return the event, or null when none came in time (or the calling thread was interrupted; its interrupt
     *         flag is then set)
     * @throws BinlogStreamException when the stream is dead: every event received before the failure has been
     *                               returned first
     */
    @Override
    public BinlogEvent next(Duration timeout) throws BinlogStreamException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long heartbeatNanos = options.heartbeatInterval().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                BinlogEvent event = handoff.poll(Math.max(0, Math.min(left, heartbeatNanos)));
                if (event != null) {
                    delivered = event.position();
                    return event;
                }
                long silent = System.nanoTime() - lastHeardNanos;
                if (silent > MISSED_HEARTBEATS * heartbeatNanos) {
                    BinlogStreamException e = new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, null,
                            source, delivered, "nothing heard for " + silent / 1_000_000 + " ms, more than "
                            + MISSED_HEARTBEATS + " heartbeat intervals of " + options.heartbeatInterval().toMillis() + " ms");
                    handoff.fail(e);
                    throw e;
                }
                if (left <= 0) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The upstream's flavour. */
    public DbFlavor flavor() {
        return start.flavor();
    }

    /** The position of the last event {@link #next} returned (the start point before the first). */
    @Override
    public BinlogPosition position() {
        return delivered;
    }

    /** Disconnects; queued events are dropped. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handoff.close();
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            log.debug("closing the binlog stream from {}: {}", source, e.toString());
        }
    }

    private void onEvent(Event event) {
        lastHeardNanos = System.nanoTime();
        started.countDown();
        if (closed || handoff.failed()) {
            return;
        }
        try {
            BinlogEvent translated = translator.translate(event);
            if (translated != null && handoff.put(translated, event.getHeader().getDataLength())) {
                // The consumer just made room: the time spent blocked was not the source's silence.
                lastHeardNanos = System.nanoTime();
            }
        } catch (BinlogStreamException e) {
            handoff.fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handoff.fail(new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, e, source,
                    translator.current(), "the binlog reader thread was interrupted"));
        } catch (RuntimeException e) {
            handoff.fail(new BinlogStreamException(ErrorCode.SYNC_BINLOG_DECODE_FAILED, false, e, source,
                    translator.current(), e.toString()));
        }
    }

    /** Turns the library's connection callbacks into the stream's failure. */
    private final class Lifecycle implements BinaryLogClient.LifecycleListener {
        @Override
        public void onConnect(BinaryLogClient c) {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            failWith(BinlogErrors.fromStream(source, ex, !streaming, start.describe(), translator.current()));
        }

        @Override
        public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            // The library would skip the event and go on; skipping a row event loses data, so the stream ends here.
            Throwable cause = ex.getCause() instanceof MissingTableMapEventException ? ex.getCause() : ex;
            failWith(new BinlogStreamException(ErrorCode.SYNC_BINLOG_DECODE_FAILED, false, ex, source,
                    translator.current(), cause.getMessage()));
        }

        @Override
        public void onDisconnect(BinaryLogClient c) {
            failWith(new BinlogStreamException(ErrorCode.SYNC_BINLOG_CONNECTION_LOST, true, null, source,
                    translator.current(), "the source closed the replication connection"));
        }

        private void failWith(BinlogStreamException e) {
            if (!closed) {
                handoff.fail(e);
            }
            started.countDown();
        }
    }

    /** The library's deserializer, with exact rows decoders and only the event data the sync unit reads. */
    static EventDeserializer deserializer(Map<Long, TableMapEventData> tableMaps) {
        Map<EventType, EventDataDeserializer> byType = new IdentityHashMap<>();
        byType.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        byType.put(EventType.ROTATE, new RotateEventDataDeserializer());
        byType.put(EventType.QUERY, new QueryEventDataDeserializer());
        byType.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        byType.put(EventType.XID, new XidEventDataDeserializer());
        byType.put(EventType.XA_PREPARE, new XAPrepareEventDataDeserializer());
        byType.put(EventType.GTID, new GtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
        byType.put(EventType.ANNOTATE_ROWS, new AnnotateRowsEventDataDeserializer());
        byType.put(EventType.WRITE_ROWS, new ExactRowsDeserializers.Write(tableMaps, false));
        byType.put(EventType.UPDATE_ROWS, new ExactRowsDeserializers.Update(tableMaps, false));
        byType.put(EventType.DELETE_ROWS, new ExactRowsDeserializers.Delete(tableMaps, false));
        byType.put(EventType.EXT_WRITE_ROWS, new ExactRowsDeserializers.Write(tableMaps, true));
        byType.put(EventType.EXT_UPDATE_ROWS, new ExactRowsDeserializers.Update(tableMaps, true));
        byType.put(EventType.EXT_DELETE_ROWS, new ExactRowsDeserializers.Delete(tableMaps, true));
        return new EventDeserializer(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), byType, tableMaps);
    }
}
