package io.dmjava.worker.subtask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Housekeeping of a subtask's data dir: one sub-directory per generation, only the current one kept. */
final class DataDirs {
    private static final Logger log = LoggerFactory.getLogger(DataDirs.class);

    private DataDirs() {
    }

    /** Deletes every generation directory under {@code base} except {@code keep}: their dumps belong to earlier runs. */
    static void deleteOtherGenerations(Path base, Path keep) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> children = Files.list(base)) {
            for (Path old : children.filter(p -> !p.equals(keep) && p.getFileName().toString().matches("g\\d+")).toList()) {
                deleteTree(old);
                log.info("deleted the dump of an earlier run: {}", old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + base, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
