package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.PreviousGtidSetDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import io.dmjava.worker.unit.DbConfig;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the upstream's binlog from the start of one file onwards, up to its current end, with a non-blocking
 * binlog dump: the source ends the stream at its last event instead of waiting for more. Only what locating a
 * time needs is decoded (headers, GTID, query, XID and rotate events); row images are skipped. The visitor can
 * end the read early (the connection is dropped at once, so reading the head of a big file is cheap).
 */
final class BinlogHeadReader {
    /** MARIA_SLAVE_CAPABILITY_GTID: GTID events as logged instead of fake BEGIN queries. */
    private static final int MARIADB_CAPABILITY_GTID = 4;

    /** One event: the file it is in, its header (start offset, end offset, timestamp) and its decoded data. */
    record Read(String file, EventHeaderV4 header, EventData data) {
        EventType type() {
            return header.getEventType();
        }

        /** Seconds since the epoch, as the upstream wrote it (the time its statement began). */
        long timestampSeconds() {
            return header.getTimestamp() / 1000;
        }
    }

    /** Sees each event in order; returns false to end the read. */
    interface Visitor {
        boolean visit(Read event);
    }

    private final DbConfig source;
    private final long serverId;
    private final long connectTimeoutMs;

    BinlogHeadReader(DbConfig source, long serverId, long connectTimeoutMs) {
        this.source = source;
        this.serverId = serverId;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /**
     * Streams from the start of {@code file} until the visitor returns false or the binlog's current end.
     *
     * @throws IOException when the source refuses the dump or the connection breaks
     */
    void read(String file, Visitor visitor) throws IOException {
        BinaryLogClient client = new BinaryLogClient(source.host(), source.port(), source.user(),
                source.password() == null ? "" : source.password());
        client.setServerId(serverId);
        client.setBlocking(false);
        client.setKeepAlive(false);
        client.setConnectTimeout(connectTimeoutMs);
        client.setMariaDbSlaveCapability(MARIADB_CAPABILITY_GTID);
        client.setEventDeserializer(deserializer());
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        AtomicReference<Exception> failure = new AtomicReference<>();
        String[] current = {file};
        boolean[] done = {false};
        client.registerEventListener((Event e) -> {
            if (done[0]) {
                return;
            }
            EventHeaderV4 h = e.getHeader();
            if (h.getEventType() == EventType.ROTATE && e.getData() instanceof RotateEventData r) {
                current[0] = r.getBinlogFilename();
            }
            if (!visitor.visit(new Read(current[0], h, e.getData()))) {
                done[0] = true;
                disconnect(client);
            }
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, ex);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                failure.compareAndSet(null, ex);
            }
        });
        // Runs the read on this thread; returns at the binlog's end (non-blocking dump) or once disconnected.
        client.connect();
        Exception f = failure.get();
        if (f != null && !done[0]) {
            throw f instanceof IOException io ? io : new IOException(f.getMessage(), f);
        }
    }

    private static void disconnect(BinaryLogClient client) {
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // the read is over either way
        }
    }

    private static EventDeserializer deserializer() {
        Map<EventType, EventDataDeserializer> byType = new IdentityHashMap<>();
        byType.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        byType.put(EventType.ROTATE, new RotateEventDataDeserializer());
        byType.put(EventType.QUERY, new QueryEventDataDeserializer());
        byType.put(EventType.XID, new XidEventDataDeserializer());
        byType.put(EventType.GTID, new GtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        byType.put(EventType.PREVIOUS_GTIDS, new PreviousGtidSetDeserializer());
        // the library decodes every table map itself (a null decoder would fail); rows events are skipped
        byType.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        return new EventDeserializer(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), byType, new java.util.HashMap<>());
    }
}
