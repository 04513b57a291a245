package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.event.EventData;
import java.nio.charset.StandardCharsets;

/**
 * One binlog event exactly as the upstream sent it: the v4 header, the body and the checksum, so that it can be
 * appended to a local binlog file unchanged.
 *
 * @param bytes          the whole event
 * @param checksumLength 4 when the event ends with a CRC32, else 0
 */
record RawEvent(byte[] bytes, int checksumLength) implements EventData {
    static final int HEADER_LENGTH = 19;
    /** {@code LOG_EVENT_ARTIFICIAL_F}: made up by the server for the stream, not in any binlog file. */
    static final int FLAG_ARTIFICIAL = 0x20;
    static final int ROTATE = 4;
    static final int QUERY = 2;
    static final int FORMAT_DESCRIPTION = 15;
    static final int XID = 16;
    static final int HEARTBEAT = 27;
    static final int GTID = 33;
    static final int ANONYMOUS_GTID = 34;
    static final int PREVIOUS_GTIDS = 35;
    static final int HEARTBEAT_V2 = 41;
    static final int XA_PREPARE = 38;
    static final int MARIADB_GTID = 162;
    static final int MARIADB_GTID_LIST = 163;

    int type() {
        return bytes[4] & 0xFF;
    }

    long serverId() {
        return u32(bytes, 5);
    }

    long length() {
        return u32(bytes, 9);
    }

    /** Where the next event starts in the upstream file (0 for events that are in no file). */
    long nextPosition() {
        return u32(bytes, 13);
    }

    /** Where this event starts in the upstream file. */
    long position() {
        return nextPosition() - length();
    }

    int flags() {
        return (bytes[17] & 0xFF) | (bytes[18] & 0xFF) << 8;
    }

    /** Made up by the server (heartbeats, the rotate to the start file, position-less descriptions). */
    boolean artificial() {
        return (flags() & FLAG_ARTIFICIAL) != 0 || nextPosition() == 0 || type() == HEARTBEAT || type() == HEARTBEAT_V2;
    }

    /** Offset of the body and its length without the checksum. */
    int bodyLength() {
        return bytes.length - HEADER_LENGTH - checksumLength;
    }

    /** A ROTATE event's next file name. */
    String rotateFile() {
        return new String(bytes, HEADER_LENGTH + 8, bodyLength() - 8, StandardCharsets.UTF_8);
    }

    /** A ROTATE event's position in the next file. */
    long rotatePosition() {
        return u64(bytes, HEADER_LENGTH);
    }

    /** A QUERY event's statement. */
    String querySql() {
        int b = HEADER_LENGTH;
        int dbLength = bytes[b + 8] & 0xFF;
        int statusLength = (bytes[b + 11] & 0xFF) | (bytes[b + 12] & 0xFF) << 8;
        int sqlStart = b + 13 + statusLength + dbLength + 1;
        int end = bytes.length - checksumLength;
        return sqlStart >= end ? "" : new String(bytes, sqlStart, end - sqlStart, StandardCharsets.UTF_8);
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    @Override
    public String toString() {
        return "RawEvent[type=" + type() + ", length=" + length() + ", next=" + nextPosition() + ", flags=" + flags() + "]";
    }
}
