package io.dmjava.worker.relay;

import io.dmjava.model.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the upstream's events to local binlog files of the same names, at the same offsets, so that a
 * {@code file:pos} of the upstream is valid in the relay. One file per upstream file: a ROTATE written at the end
 * of one file opens the next.
 *
 * <p>Durability: {@link #flush} fsyncs the data first and only then replaces the meta, and the meta only ever
 * names a transaction boundary. A crash at any moment therefore leaves the meta at or behind the data; on
 * {@link #open} the files are cut back to the meta (dropping a torn last event or an incomplete transaction) and
 * files started after it are removed, and the relay asks the upstream for the rest again.
 *
 * <p>Not thread-safe by itself: the relay unit calls it from the stream's thread and its flusher under one lock.
 */
final class RelayWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayWriter.class);
    static final byte[] MAGIC = {(byte) 0xFE, 'b', 'i', 'n'};

    private final String source;
    private final Path dir;
    private final TxnTracker txns;
    private FileChannel channel;
    private String file;
    private long size;
    private RelayMeta flushed;
    private RelayMeta boundary;
    private boolean dirty;

    private RelayWriter(String source, Path dir, boolean mariadb) {
        this.source = source;
        this.dir = dir;
        this.txns = new TxnTracker(mariadb, "");
    }

    /**
     * Opens the relay directory and cuts its files back to the meta.
     *
     * @return the writer positioned at the meta, or empty when the directory holds no meta (a new relay: the
     *         caller chooses the first file and calls {@link #start})
     */
    static RelayWriter open(String source, Path dir, boolean mariadb) throws RelayException {
        RelayWriter w = new RelayWriter(source, dir, mariadb);
        try {
            Files.createDirectories(dir);
            Optional<RelayMeta> meta = RelayMeta.read(dir);
            if (meta.isPresent()) {
                w.resume(meta.get());
            }
            return w;
        } catch (IOException e) {
            throw new RelayException(ErrorCode.RELAY_META_INVALID, false, e, source, dir, e.getMessage());
        }
    }

    private void resume(RelayMeta meta) throws IOException, RelayException {
        Path path = dir.resolve(meta.binlogName());
        if (!Files.exists(path)) {
            throw new RelayException(ErrorCode.RELAY_META_INVALID, false, null, source, dir,
                    "the meta names " + meta.binlogName() + ", which is not there");
        }
        long length = Files.size(path);
        if (length < meta.binlogPos() || meta.binlogPos() < MAGIC.length) {
            throw new RelayException(ErrorCode.RELAY_META_INVALID, false, null, source, dir, "the meta is at "
                    + meta + " but " + meta.binlogName() + " has " + length + " bytes");
        }
        for (String later : BinlogNames.list(dir)) {
            if (BinlogNames.ORDER.compare(later, meta.binlogName()) > 0) {
                Files.delete(dir.resolve(later));
                log.info("relay {}: removed {}, started after the last flushed position {}", source, later, meta);
            }
        }
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        if (length > meta.binlogPos()) {
            channel.truncate(meta.binlogPos());
            channel.force(true);
            log.info("relay {}: cut {} back from {} to {} bytes (the last flushed transaction boundary)", source,
                    meta.binlogName(), length, meta.binlogPos());
        }
        file = meta.binlogName();
        size = meta.binlogPos();
        txns.reset(meta.binlogGtid());
        flushed = meta;
        boundary = meta;
    }

    /** Whether the relay has a position (a meta) to resume from. */
    boolean started() {
        return file != null;
    }

    /** Starts a new relay at the beginning of upstream file {@code name}, with the GTID set before it when known. */
    void start(String name, String gtid) throws RelayException {
        txns.reset(gtid);
        openNew(name);
    }

    /** The last flushed position: the relay resumes here after a crash. */
    RelayMeta flushed() {
        return flushed;
    }

    /** The end of the data written so far (file name and size). */
    RelayMeta written() {
        return new RelayMeta(file, size, txns.gtidSet());
    }

    Path dir() {
        return dir;
    }

    /**
     * Takes one event of the stream: writes it when it belongs to a file, follows rotations, skips what the
     * server made up for the stream (heartbeats, the rotate to the start file, the repeated format description).
     */
    void accept(RawEvent e) throws RelayException {
        int type = e.type();
        if (type == RawEvent.ROTATE && e.artificial()) {
            checkFakeRotate(e);
            return;
        }
        if (e.artificial()) {
            return;
        }
        if (e.position() != size) {
            throw new RelayException(ErrorCode.RELAY_STREAM_INCONSISTENT, false, null, source, file,
                    "an event of " + e.length() + " bytes ending at " + e.nextPosition() + " does not start where the file ends ("
                            + size + ")");
        }
        write(e.bytes());
        if (txns.accept(e)) {
            boundary = new RelayMeta(file, size, txns.gtidSet());
        }
        if (type == RawEvent.ROTATE) {
            flush();
            openNew(e.rotateFile());
        }
    }

    /** The server announces the file it streams from: it must be the one the relay appends to, at its end. */
    private void checkFakeRotate(RawEvent e) throws RelayException {
        String name = e.rotateFile();
        long pos = e.rotatePosition();
        if (name.equals(file) && (pos == size || pos <= MAGIC.length)) {
            return;
        }
        throw new RelayException(ErrorCode.RELAY_STREAM_INCONSISTENT, false, null, source, file,
                "the source streams " + name + " from " + pos + " while the relay is at " + written());
    }

    /** Makes everything up to the last transaction boundary durable and records it in the meta. */
    void flush() throws RelayException {
        try {
            if (dirty) {
                channel.force(false);
                dirty = false;
            }
            if (boundary != null && !boundary.equals(flushed)) {
                boundary.write(dir);
                flushed = boundary;
            }
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private void openNew(String name) throws RelayException {
        if (!BinlogNames.valid(name)) {
            throw new RelayException(ErrorCode.RELAY_STREAM_INCONSISTENT, false, null, source, file,
                    "the source rotated to '" + name + "', which is not a binlog file name");
        }
        closeChannel();
        Path path = dir.resolve(name);
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            channel.write(ByteBuffer.wrap(MAGIC), 0);
            channel.force(true);
            RelayMeta.syncDirectory(dir);
            file = name;
            size = MAGIC.length;
            boundary = new RelayMeta(name, size, txns.gtidSet());
            boundary.write(dir);
            flushed = boundary;
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private void write(byte[] bytes) throws RelayException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            long at = size;
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
        } catch (IOException e) {
            throw writeFailed(e);
        }
        size += bytes.length;
        dirty = true;
    }

    private RelayException writeFailed(IOException e) {
        return new RelayException(ErrorCode.RELAY_WRITE_FAILED, true, e, source, dir, e.toString());
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("relay {}: closing {}: {}", source, file, e.toString());
            }
            channel = null;
        }
    }

    /** Flushes what it can and closes the current file. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                flush();
            }
        } catch (RelayException e) {
            log.warn("relay {}: last flush failed: {}", source, e.getMessage());
        }
        closeChannel();
    }
}
