package io.dmjava.worker.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The relay's progress: every event before {@code binlogPos} of {@code binlogName} is in the local file of that
 * name and fsync'd, and {@code binlogGtid} is the GTID set completed there. Always a transaction boundary.
 * Stored as DM's {@code relay.meta} (TOML: {@code binlog-name}, {@code binlog-pos}, {@code binlog-gtid}).
 * Public for the relay's readers ({@link RelayLog#committed}): they read only what is before it.
 */
public record RelayMeta(String binlogName, long binlogPos, String binlogGtid) {
    static final String FILE_NAME = "relay.meta";

    public RelayMeta {
        binlogGtid = binlogGtid == null ? "" : binlogGtid;
    }

    /** Reads {@code dir/relay.meta}; empty when there is none. */
    static Optional<RelayMeta> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String name = null;
        Long pos = null;
        String gtid = "";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            switch (key) {
                case "binlog-name" -> name = value;
                case "binlog-pos" -> pos = Long.parseLong(value);
                case "binlog-gtid" -> gtid = value;
                default -> {
                    // keys of newer versions
                }
            }
        }
        if (name == null || name.isEmpty() || pos == null) {
            throw new IOException(file + " lacks binlog-name or binlog-pos");
        }
        return Optional.of(new RelayMeta(name, pos, gtid));
    }

    /**
     * Replaces {@code dir/relay.meta} atomically and durably: a crash leaves either the old or the new meta,
     * never a torn one (written aside, fsync'd, renamed over, directory fsync'd).
     */
    void write(Path dir) throws IOException {
        String text = "binlog-name = \"" + binlogName + "\"\nbinlog-pos = " + binlogPos + "\nbinlog-gtid = \"" + binlogGtid + "\"\n";
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    /** Makes a rename or a file creation in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory; the rename is then as durable as they make it.
            if (!(e instanceof java.nio.file.AccessDeniedException) && Files.isDirectory(dir)
                    && !System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "(" + binlogName + ", " + binlogPos + ")" + (binlogGtid.isEmpty() ? "" : " " + binlogGtid);
    }
}
