package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Keeps every event's bytes instead of decoding it: the relay writes them to its files unchanged. Works on the
 * replication stream ({@code BinaryLogClient}) and on files ({@code BinaryLogFileReader}) alike; each event's data
 * is a {@link RawEvent}. A ROTATE also carries its decoded data for the client's own position bookkeeping.
 */
final class RawEventDeserializer extends EventDeserializer {
    private volatile int checksumLength;

    /** For files: {@code checksumLength} 4 when the file's events carry a CRC32. */
    RawEventDeserializer(int checksumLength) {
        this.checksumLength = checksumLength;
    }

    @Override
    public void setChecksumType(ChecksumType checksumType) {
        super.setChecksumType(checksumType);
        this.checksumLength = checksumType.getLength();
    }

    @Override
    public Event nextEvent(ByteArrayInputStream in) throws IOException {
        if (in.peek() == -1) {
            return null;
        }
        byte[] header = in.read(RawEvent.HEADER_LENGTH);
        long length = RawEvent.u32(header, 9);
        if (length < RawEvent.HEADER_LENGTH || length > Integer.MAX_VALUE - 16) {
            throw new IOException("binlog event with impossible length " + length);
        }
        byte[] bytes = new byte[(int) length];
        System.arraycopy(header, 0, bytes, 0, header.length);
        in.fill(bytes, header.length, bytes.length - header.length);
        RawEvent raw = new RawEvent(bytes, checksumLength);
        EventHeaderV4 h = new EventHeaderV4();
        h.setTimestamp(RawEvent.u32(bytes, 0) * 1000L);
        h.setEventType(typeOf(raw.type()));
        h.setServerId(raw.serverId());
        h.setEventLength(length);
        h.setNextPosition(raw.nextPosition());
        h.setFlags(raw.flags());
        EventData data = raw;
        if (raw.type() == RawEvent.ROTATE) {
            RotateEventData rotate = new RotateEventData();
            rotate.setBinlogFilename(raw.rotateFile());
            rotate.setBinlogPosition(raw.rotatePosition());
            data = new EventDataWrapper(rotate, raw);
        }
        return new Event(h, data);
    }

    /** The raw event of an event this deserializer made (the file reader does not unwrap a ROTATE's data). */
    static RawEvent raw(Event e) {
        EventData d = e.getData();
        return (RawEvent) (d instanceof EventDataWrapper w ? w.getExternal() : d);
    }

    private static EventType typeOf(int code) {
        EventType t = EventType.byEventNumber(code);
        return t == null ? EventType.UNKNOWN : t;
    }
}
