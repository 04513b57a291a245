package io.dmjava.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One on-disk entry of the {@link ProcessRegistry}: what a later JVM needs to clean up after this one
 * if it dies without running its shutdown hook. Either a child process ({@code childPid > 0}) or a
 * bare temp dir ({@code childPid == 0}).
 *
 * <p>The owner's start instant is stored next to its pid so that a new process that happens to reuse a
 * crashed owner's pid does not make that owner look alive forever. Likewise the child's start
 * instant is what makes it safe to SIGKILL a pid read from a file.
 *
 * @param ownerPid   pid of the JVM that launched the child or created the dir
 * @param ownerStart start instant of that JVM, or null when the OS did not report it
 * @param childPid   pid of the child, or 0 for a temp-dir-only record
 * @param childStart start instant of the child, or null (then the child is never killed by a reaper)
 * @param label      human-readable name, for logs
 * @param executable binary the child runs, for logs and forensics
 * @param tempDirs   directories to delete once the owner is gone
 */
record ProcessRecord(long ownerPid, Instant ownerStart, long childPid, Instant childStart, String label,
                     String executable, List<Path> tempDirs) {

    ProcessRecord {
        tempDirs = List.copyOf(tempDirs);
    }

    /**
     * Writes via a temp file and an atomic rename, so a concurrent reaper in another JVM never reads a
     * half-written record (it ignores names not ending in {@code .properties}).
     */
    void writeTo(Path file) {
        Properties props = new Properties();
        props.setProperty("ownerPid", Long.toString(ownerPid));
        putInstant(props, "ownerStart", ownerStart);
        props.setProperty("childPid", Long.toString(childPid));
        putInstant(props, "childStart", childStart);
        props.setProperty("label", label);
        props.setProperty("executable", executable);
        for (int i = 0; i < tempDirs.size(); i++) {
            props.setProperty("tempDir." + i, tempDirs.get(i).toString());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(out, "dm-java test harness process record");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write process record " + file, e);
        }
    }

    static ProcessRecord readFrom(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; props.getProperty("tempDir." + i) != null; i++) {
            dirs.add(Path.of(props.getProperty("tempDir." + i)));
        }
        try {
            return new ProcessRecord(
                    Long.parseLong(required(props, "ownerPid")),
                    instant(props, "ownerStart"),
                    Long.parseLong(required(props, "childPid")),
                    instant(props, "childStart"),
                    props.getProperty("label", "?"),
                    props.getProperty("executable", "?"),
                    dirs);
        } catch (RuntimeException e) {
            throw new IOException("malformed process record " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
    }

    private static void putInstant(Properties props, String key, Instant value) {
        if (value != null) {
            props.setProperty(key, value.toString());
        }
    }

    private static Instant instant(Properties props, String key) {
        String value = props.getProperty(key);
        return value == null ? null : Instant.parse(value);
    }
}
