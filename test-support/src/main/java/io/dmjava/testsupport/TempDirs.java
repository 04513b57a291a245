package io.dmjava.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and deletes the harness's scratch directories. */
final class TempDirs {

    private static final Logger log = LoggerFactory.getLogger(TempDirs.class);
    private static final int COPY_BLOCK = 64 * 1024;

    private TempDirs() {
    }

    /**
     * Creates a fresh directory under {@code java.io.tmpdir} (kept short on purpose: MariaDB puts its
     * Unix socket inside, and socket paths are limited to ~107 bytes).
     */
    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temp dir " + prefix, e);
        }
    }

    /**
     * Copies the tree at {@code source} to {@code target}, which must not exist yet. Files are copied
     * sparsely: a fresh MariaDB data dir is ~60 MB, mostly the zero-filled redo log, and writing only
     * its ~6 MB of data keeps each instance's start cheap on a busy disk.
     */
    static void copyRecursively(Path source, Path target) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectory(target.resolve(source.relativize(d)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path copy = target.resolve(source.relativize(file));
                    copySparse(file, copy);
                    Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(file));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }

    private static void copySparse(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(COPY_BLOCK);
            long pos = 0;
            int n;
            while ((n = in.read(buf.clear(), pos)) > 0) {
                buf.flip();
                if (!isAllZero(buf.array(), n)) {
                    long at = pos;
                    while (buf.hasRemaining()) {
                        at += out.write(buf, at);
                    }
                }
                pos += n;
            }
            if (out.size() < pos) {
                // A trailing hole: writing the last byte gives the copy its full length.
                out.write(ByteBuffer.wrap(new byte[1]), pos - 1);
            }
        }
    }

    private static boolean isAllZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Best-effort recursive delete. Paths come from record files a crashed run left behind, so a
     * corrupt or hand-edited record must not be able to wipe {@code /} or the temp root itself.
     */
    static void deleteRecursively(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (abs.getNameCount() < 2 || abs.equals(tmpRoot) || abs.equals(Path.of(System.getProperty("user.home")))) {
            log.warn("refusing to delete suspicious directory {}", abs);
            return;
        }
        if (!Files.exists(abs)) {
            return;
        }
        try {
            Files.walkFileTree(abs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    // A server that is still shutting down may remove its own files under our feet.
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("could not fully delete {}: {}", abs, e.toString());
        }
    }
}
