package io.dmjava.worker.relay;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes relay files of one source, by request ({@link #purgeBefore}) or by the source's purge policy
 * ({@link #purgeByPolicy}). Never deletes the file being written, nor the oldest file a reader still needs
 * ({@link RelayRetention}) nor anything after it.
 */
final class RelayPurger {
    private static final Logger log = LoggerFactory.getLogger(RelayPurger.class);
    private static final long GB = 1L << 30;

    /** What a purge did. */
    record Result(List<String> purged, List<String> kept) {
    }

    private final String source;
    private final Path dir;
    private final Supplier<String> activeFile;
    private final RelayRetention retention;
    private final LongSupplier freeBytes;

    /**
     * @param activeFile the file the relay writes (null before it wrote any)
     * @param freeBytes  usable bytes on the relay directory's file system
     */
    RelayPurger(String source, Path dir, Supplier<String> activeFile, RelayRetention retention, LongSupplier freeBytes) {
        this.source = source;
        this.dir = dir;
        this.activeFile = activeFile;
        this.retention = retention;
        this.freeBytes = freeBytes;
    }

    /** Usable space of the file system holding {@code dir}, for {@link #freeBytes}. */
    static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Deletes every file before {@code name} that nothing needs; the needed ones are reported as kept. */
    synchronized Result purgeBefore(String name) throws RelayException {
        if (!BinlogNames.valid(name)) {
            throw new RelayException(ErrorCode.RELAY_PURGE_INVALID, false, null, source,
                    "'" + name + "' is not a binlog file name");
        }
        List<String> purged = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String f : files()) {
            if (BinlogNames.ORDER.compare(f, name) >= 0) {
                break;
            }
            if (deletable(f)) {
                delete(f, purged);
            } else {
                kept.add(f);
            }
        }
        if (!kept.isEmpty()) {
            log.info("relay {}: purge before {} kept {}: still needed (oldest needed {}, writing {})", source, name, kept,
                    retention.oldestNeeded(source).orElse("none"), activeFile.get());
        }
        return new Result(purged, kept);
    }

    /**
     * Applies the policy once: deletes unneeded files older than {@code expires} hours (0: no age limit), then,
     * while the file system has less than {@code remain_space} GB free, the oldest unneeded files.
     */
    synchronized Result purgeByPolicy(SourceConfig.Purge policy, Instant now) throws RelayException {
        List<String> purged = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (String f : files()) {
            if (!deletable(f)) {
                break;
            }
            candidates.add(f);
        }
        long expires = policy.expires() == null ? 0 : policy.expires();
        List<String> young = new ArrayList<>();
        for (String f : candidates) {
            if (expires > 0 && modified(f).isBefore(now.minus(Duration.ofHours(expires)))) {
                delete(f, purged);
            } else {
                young.add(f);
            }
        }
        long remain = policy.remainSpace() == null ? 0 : policy.remainSpace() * GB;
        for (String f : young) {
            if (freeBytes.getAsLong() >= remain) {
                break;
            }
            delete(f, purged);
        }
        if (!purged.isEmpty()) {
            log.info("relay {}: purged {} by policy (expires {} h, remain_space {} GB)", source, purged, expires,
                    policy.remainSpace());
        }
        return new Result(purged, List.of());
    }

    /** Before the file being written and before the oldest needed one. */
    private boolean deletable(String f) {
        String active = activeFile.get();
        if (active == null || BinlogNames.ORDER.compare(f, active) >= 0) {
            return false;
        }
        Optional<String> needed = retention.oldestNeeded(source);
        return needed.isEmpty() || BinlogNames.ORDER.compare(f, needed.get()) < 0;
    }

    private List<String> files() throws RelayException {
        try {
            return BinlogNames.list(dir);
        } catch (IOException e) {
            throw new RelayException(ErrorCode.RELAY_WRITE_FAILED, true, e, source, dir, e.toString());
        }
    }

    private Instant modified(String f) throws RelayException {
        try {
            return Files.getLastModifiedTime(dir.resolve(f)).toInstant();
        } catch (IOException e) {
            throw new RelayException(ErrorCode.RELAY_WRITE_FAILED, true, e, source, dir, e.toString());
        }
    }

    private void delete(String f, List<String> purged) throws RelayException {
        try {
            Files.deleteIfExists(dir.resolve(f));
            purged.add(f);
        } catch (IOException e) {
            throw new RelayException(ErrorCode.RELAY_WRITE_FAILED, true, e, source, dir, e.toString());
        }
    }
}
