package io.dmjava.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on one child process started by {@link ProcessLauncher}. Stdout and stderr of the child are
 * appended to {@link #logFile()}, which is what failure messages quote via {@link #tailLog(int)}.
 * Stopping the child (by any method here, or by the child exiting on its own) removes its
 * {@link ProcessRegistry} record.
 */
public final class ManagedProcess {

    private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int TAIL_BYTES = 64 * 1024;

    private final String label;
    private final Process process;
    private final Path logFile;
    private final ProcessRegistry registry;

    ManagedProcess(String label, Process process, Path logFile, ProcessRegistry registry) {
        this.label = label;
        this.process = process;
        this.logFile = logFile;
        this.registry = registry;
    }

    /** The child's OS pid. */
    public long pid() {
        return process.pid();
    }

    /** The name given at launch, e.g. {@code etcd1}; used in logs and errors. */
    public String label() {
        return label;
    }

    /** Whether the child is still running (a suspended child counts as alive). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILLs the child and returns once it is gone. No-op when it has already exited. */
    public void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            if (!waitForExit(KILL_WAIT)) {
                throw new IllegalStateException(label + " (pid " + pid() + ") survived SIGKILL for " + KILL_WAIT);
            }
            log.debug("{} (pid {}) killed", label, pid());
        }
        registry.untrack(this);
    }

    /**
     * Asks the child to exit with SIGTERM, waits up to {@code grace}, then SIGKILLs it. The child is
     * sent SIGCONT first because a {@link #suspend() suspended} process would not act on SIGTERM.
     */
    public void terminate(Duration grace) {
        if (process.isAlive()) {
            resume();
            process.destroy();
            if (!waitForExit(grace)) {
                log.warn("{} (pid {}) ignored SIGTERM for {}; sending SIGKILL", label, pid(), grace);
            }
        }
        kill();
    }

    /** Freezes the child with SIGSTOP, e.g. to simulate a hung server whose sockets stay open. */
    public void suspend() {
        signal("STOP");
    }

    /** Thaws a {@link #suspend() suspended} child with SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    /** Waits until the child exits; returns false if it is still running after {@code timeout}. */
    public boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Exit status of a child that has exited; throws {@link IllegalStateException} while it runs. */
    public int exitValue() {
        try {
            return process.exitValue();
        } catch (IllegalThreadStateException e) {
            throw new IllegalStateException(label + " (pid " + pid() + ") is still running", e);
        }
    }

    /** The file receiving the child's stdout and stderr (appended across restarts). */
    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the log file, or a note saying why it could not be read. */
    public String tailLog(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        // Only the end of the file is read: etcd logs can grow large over a long test class.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - TAIL_BYTES);
            byte[] buf = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            String[] all = text.split("\r?\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    private void signal(String name) {
        if (!process.isAlive()) {
            return;
        }
        // Java can only send TERM and KILL, so the other signals go through kill(1).
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (kill.waitFor() != 0 && process.isAlive()) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill(1) to send SIG" + name + " to " + label, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name + " to " + label, e);
        }
    }

    @Override
    public String toString() {
        return label + "(pid " + pid() + (isAlive() ? ")" : ", exited)");
    }
}
