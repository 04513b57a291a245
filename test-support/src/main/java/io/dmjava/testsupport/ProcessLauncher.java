package io.dmjava.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child processes whose lifetime is bounded by the test JVM's: each one is recorded in the
 * {@link ProcessRegistry} before this method returns, so it is killed by the shutdown hook or, if the
 * JVM dies hard, by the next harness run.
 */
public final class ProcessLauncher {

    private static final Logger log = LoggerFactory.getLogger(ProcessLauncher.class);

    private ProcessLauncher() {
    }

    /**
     * Launches {@code command} in {@code workDir}, appending its stdout and stderr to {@code logFile}.
     *
     * @param label    name for logs and errors, e.g. {@code etcd0}
     * @param command  executable (absolute path preferred) and arguments
     * @param workDir  working directory; must exist
     * @param logFile  output file, created if needed and appended to (so restarts keep history)
     * @param extraEnv variables added to the inherited environment
     * @return the handle on the running child
     */
    public static ManagedProcess launch(String label, List<String> command, Path workDir, Path logFile,
                                        Map<String, String> extraEnv) {
        ProcessRegistry registry = ProcessRegistry.get();
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            // A banner per launch makes restarts visible in the shared, appended log.
            Files.writeString(logFile, "=== " + Instant.now() + " launching " + label + ": "
                            + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare log file " + logFile, e);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                // Servers must never block on, or be confused by, the test JVM's stdin.
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(extraEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + String.join(" ", command), e);
        }
        ManagedProcess handle = new ManagedProcess(label, process, logFile, registry);
        Instant childStart = process.info().startInstant().orElse(null);
        try {
            registry.track(handle, childStart, command.get(0));
        } catch (RuntimeException e) {
            // An unrecorded child could outlive a crash unnoticed; better not to run it at all.
            process.destroyForcibly();
            throw e;
        }
        process.onExit().thenRun(() -> registry.untrack(handle));
        log.debug("launched {} as pid {}", label, process.pid());
        return handle;
    }

    /**
     * Records {@code dir} so that it is deleted at JVM exit, or by the next harness run if this JVM
     * crashes. Call {@link #deleteTempDir(Path)} to delete it earlier.
     */
    public static void registerTempDir(Path dir) {
        ProcessRegistry.get().trackTempDir(dir);
    }

    /** Creates a fresh directory under {@code java.io.tmpdir} and {@link #registerTempDir registers} it. */
    public static Path createTempDir(String prefix) {
        Path dir = TempDirs.create(prefix);
        registerTempDir(dir);
        return dir;
    }

    /** Deletes {@code dir} recursively and drops its registration. */
    public static void deleteTempDir(Path dir) {
        ProcessRegistry.get().deleteTempDir(dir);
    }
}
