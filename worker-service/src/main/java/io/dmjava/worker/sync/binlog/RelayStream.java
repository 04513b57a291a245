package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.FormatDescriptionEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.relay.BinlogNames;
import io.dmjava.worker.relay.RelayLog;
import io.dmjava.worker.relay.RelayMeta;
import io.dmjava.worker.unit.DbConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync unit's events read from the worker's relay files instead of the upstream: the same events at the same
 * positions, decoded by the same deserializer (exact rows decoders) and {@link EventTranslator}, so the consumer
 * cannot tell the difference but for {@link #type()}.
 *
 * <p>Reads on the consumer's thread, one event at a time straight from the file (no queue: the memory held is
 * one event). Only what the relay has committed is read ({@link RelayLog#committed}: up to the meta's offset in
 * the meta's file, all of an earlier file), so a half-written transaction or bytes a crashed relay cuts back are
 * never seen. A ROTATE moves to the next file, which is opened once the relay has started it. With nothing to
 * read it waits for the relay's next flush (woken by it, or a short poll).
 */
public final class RelayStream implements BinlogInput {
    private static final Logger log = LoggerFactory.getLogger(RelayStream.class);
    private static final int HEADER = 19;
    private static final long MAGIC = 4;
    private static final int FORMAT_DESCRIPTION = 15;
    private static final long MAX_WAIT_NANOS = 200_000_000L;

    private final RelayLog relay;
    private final Path dir;
    private final String source;
    private final EventDeserializer deserializer;
    private final EventTranslator translator;
    private String file;
    private FileChannel channel;
    private long offset;
    private BinlogPosition delivered;

    private RelayStream(RelayLog relay, String file, long offset, EventDeserializer deserializer,
                        EventTranslator translator, FileChannel channel) {
        this.relay = relay;
        this.dir = relay.dir();
        this.source = relay.source();
        this.file = file;
        this.offset = offset;
        this.deserializer = deserializer;
        this.translator = translator;
        this.channel = channel;
        this.delivered = translator.current();
    }

    /**
     * Opens the relay file of {@code start} at its offset.
     *
     * @param upstream asked for the start's GTID set and binlog settings when it answers (see
     *                 {@link StartPoint#forRelay})
     * @param start    a transaction boundary by file/pos that the relay holds (its file is a relay file)
     * @throws BinlogStreamException RELAY_READ_FAILED (retryable) when the file is not there or cannot be read
     */
    public static RelayStream open(RelayLog relay, DbConfig upstream, BinlogPosition start) throws BinlogStreamException {
        Path path = relay.dir().resolve(start.file());
        if (!BinlogNames.valid(start.file())) {
            throw failed(relay.source(), start, "'" + start.file() + "' is not a binlog file name", null);
        }
        Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        EventDeserializer deserializer = BinlogStream.deserializer(tableMaps);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            DbFlavor flavor = flavorOf(readFormatDescription(ch, deserializer, relay.source(), start));
            StartPoint point = StartPoint.forRelay(upstream, start, flavor);
            GtidTracker gtids = new GtidTracker(point.flavor(), point.gtid());
            EventTranslator translator = new EventTranslator(tableMaps, gtids, relay.source(), start.file(),
                    Math.max(MAGIC, start.pos()));
            RelayStream s = new RelayStream(relay, start.file(), Math.max(MAGIC, start.pos()), deserializer, translator, ch);
            log.info("sync input: relay of source {} in {} from {} ({})", relay.source(), relay.dir(), start, point.flavor());
            return s;
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw failed(relay.source(), start, start.file() + " is not in the relay directory " + relay.dir(), e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw failed(relay.source(), start, e.toString(), e);
        } catch (BinlogStreamException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public String type() {
        return "local";
    }

    @Override
    public BinlogEvent next(Duration timeout) throws BinlogStreamException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Step step = step();
                if (step.event() != null) {
                    delivered = step.event().position();
                    return step.event();
                }
                if (step.progressed()) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                relay.awaitAdvance(Math.min(left, MAX_WAIT_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException e) {
            throw failed(source, translator.current(), e.toString(), e);
        }
    }

    /** What one read did: an event for the consumer, or whether it moved at all (else nothing is committed yet). */
    private record Step(BinlogEvent event, boolean progressed) {
        static final Step IDLE = new Step(null, false);
        static final Step MOVED = new Step(null, true);
    }

    private Step step() throws IOException, BinlogStreamException {
        long limit = committedLimit();
        if (limit < 0) {
            return Step.IDLE;
        }
        if (channel == null) {
            channel = FileChannel.open(dir.resolve(file), StandardOpenOption.READ);
        }
        if (offset + HEADER > limit) {
            if (offset < limit) {
                throw corrupt("the committed end " + limit + " of " + file + " cuts the event at " + offset);
            }
            if (limit == channel.size() && fileComplete()) {
                throw corrupt(file + " ends at " + limit + " without a ROTATE to the next file");
            }
            return Step.IDLE;
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        readFully(head, offset);
        long length = Integer.toUnsignedLong(head.order(ByteOrder.LITTLE_ENDIAN).getInt(9));
        if (length < HEADER || offset + length > limit) {
            throw corrupt("the event at " + offset + " of " + file + " claims " + length + " bytes; committed up to " + limit);
        }
        ByteBuffer body = ByteBuffer.allocate((int) length);
        readFully(body, offset);
        Event event = deserialize(body.array());
        offset += length;
        if (event == null) {
            return Step.MOVED;
        }
        BinlogEvent out = translator.translate(event);
        if (event.getHeader().getEventType() == EventType.ROTATE) {
            // The relay starts the next file (magic, then its meta) right after the ROTATE is durable.
            closeQuietly(channel);
            channel = null;
            file = translator.current().file();
            offset = MAGIC;
        }
        return out == null ? Step.MOVED : new Step(out, true);
    }

    /** How far {@link #file} may be read: the meta's offset in it, all of it once the relay moved on; -1: none yet. */
    private long committedLimit() throws IOException {
        Optional<RelayMeta> meta = relay.committed();
        if (meta.isEmpty()) {
            return -1;
        }
        int c = BinlogNames.ORDER.compare(meta.get().binlogName(), file);
        if (c == 0) {
            return meta.get().binlogPos();
        }
        if (c < 0) {
            return -1; // the relay has not started this file yet (or was cut back behind it: it writes it again)
        }
        return channel != null ? channel.size() : Files.size(dir.resolve(file));
    }

    /** Whether the relay has moved on to a later file (this one will not grow any more). */
    private boolean fileComplete() {
        return relay.committed().map(m -> BinlogNames.ORDER.compare(m.binlogName(), file) > 0).orElse(false);
    }

    private Event deserialize(byte[] bytes) throws BinlogStreamException {
        try {
            return deserializer.nextEvent(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_DECODE_FAILED, false, e, source, translator.current(),
                    "relay file " + file + " at " + offset + ": " + cause.getMessage());
        }
    }

    private void readFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException(file + " ends at " + pos + " inside a committed event");
            }
            pos += n;
        }
        buf.flip();
    }

    /** The file's FORMAT_DESCRIPTION (right after the magic), read by the deserializer so it learns the checksum. */
    private static FormatDescriptionEventData readFormatDescription(FileChannel ch, EventDeserializer deserializer,
                                                                    String source, BinlogPosition start)
            throws IOException, BinlogStreamException {
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.read(head, MAGIC) < HEADER || (head.get(4) & 0xFF) != FORMAT_DESCRIPTION) {
            throw failed(source, start, start.file() + " does not start with a format description yet", null);
        }
        long length = Integer.toUnsignedLong(head.getInt(9));
        if (MAGIC + length > ch.size() || length < HEADER) {
            throw failed(source, start, start.file() + " holds only part of its format description yet", null);
        }
        ByteBuffer all = ByteBuffer.allocate((int) length);
        while (all.hasRemaining()) {
            if (ch.read(all, MAGIC + all.position()) < 0) {
                throw failed(source, start, start.file() + " ends inside its format description", null);
            }
        }
        Event fde = deserializer.nextEvent(new ByteArrayInputStream(all.array()));
        EventData data = EventDeserializer.EventDataWrapper.internal(fde.getData());
        if (!(data instanceof FormatDescriptionEventData f)) {
            throw corrupt(source, start, start.file() + " does not start with a format description");
        }
        return f;
    }

    private static DbFlavor flavorOf(FormatDescriptionEventData fde) {
        String version = fde.getServerVersion() == null ? "" : fde.getServerVersion().toLowerCase(Locale.ROOT);
        return version.contains("mariadb") ? DbFlavor.MARIADB : DbFlavor.MYSQL;
    }

    private BinlogStreamException corrupt(String why) {
        return corrupt(source, translator.current(), why);
    }

    private static BinlogStreamException corrupt(String source, Object at, String why) {
        return new BinlogStreamException(ErrorCode.RELAY_READ_CORRUPT, false, null, source, at, why);
    }

    private static BinlogStreamException failed(String source, Object at, String why, Throwable cause) {
        return new BinlogStreamException(ErrorCode.RELAY_READ_FAILED, true, cause, source, at, why);
    }

    @Override
    public BinlogPosition position() {
        return delivered;
    }

    @Override
    public void close() {
        closeQuietly(channel);
        channel = null;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only: nothing is lost
            }
        }
    }
}
