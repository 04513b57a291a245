package io.dmjava.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Book-keeping that guarantees no server outlives the test JVM that launched it.
 *
 * <p>Every child and every scratch dir is recorded as a file under
 * {@code ${DM_HARNESS_DIR:-${java.io.tmpdir}/dm-java-harness}/pids/}. A shutdown hook kills this JVM's
 * children and deletes its dirs on a normal exit. A JVM that dies without running hooks (SIGKILL, OOM
 * kill, a CI timeout) leaves its records behind; the next JVM that uses the harness reaps them on first
 * use, killing a leftover child only if its pid is alive <em>and</em> its start instant still matches,
 * so a recycled pid belonging to an unrelated process is never touched.
 *
 * <p>This is the harness's only static state: a shutdown hook is process-wide by nature, so the set of
 * things it must clean up has to be process-wide too. It is created lazily (holder idiom) so that merely
 * loading harness classes neither registers a hook nor scans the record directory. The same instance
 * also hands out server ids, remembers reserved ports and caches MariaDB template data dirs, since
 * those are per-JVM facts too and would otherwise need static state of their own.
 */
public final class ProcessRegistry {

    private static final Logger log = LoggerFactory.getLogger(ProcessRegistry.class);
    private static final String SUFFIX = ".properties";

    private static final class Holder {
        static final ProcessRegistry INSTANCE = createShared();
    }

    private final Path recordDir;
    private final long ownerPid;
    private final Instant ownerStart;
    private final Set<ManagedProcess> children = ConcurrentHashMap.newKeySet();
    private final Map<Path, Path> tempDirRecords = new ConcurrentHashMap<>();
    private final AtomicLong recordSeq = new AtomicLong();
    // Random start: ids stay unique within the JVM and rarely clash with another JVM's servers.
    private final AtomicInteger serverIds = new AtomicInteger(100 + ThreadLocalRandom.current().nextInt(1_000_000));
    private final Set<Integer> reservedPorts = ConcurrentHashMap.newKeySet();
    private final Map<String, Path> dataDirTemplates = new ConcurrentHashMap<>();
    // Held open for the JVM's lifetime: closing any channel on the file would drop all our port locks.
    private final FileChannel portLocks;

    private ProcessRegistry(Path baseDir) {
        this.recordDir = baseDir.resolve("pids");
        ProcessHandle self = ProcessHandle.current();
        this.ownerPid = self.pid();
        this.ownerStart = self.info().startInstant().orElse(null);
        try {
            Files.createDirectories(recordDir);
            this.portLocks = FileChannel.open(baseDir.resolve("ports.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare harness dir " + baseDir, e);
        }
    }

    /** The process-wide registry; the first call reaps leftovers of crashed runs and installs the hook. */
    public static ProcessRegistry get() {
        return Holder.INSTANCE;
    }

    /** A registry on its own directory with no hook and no initial reaping, for testing the reaper. */
    static ProcessRegistry forDirectory(Path baseDir) {
        return new ProcessRegistry(baseDir);
    }

    private static ProcessRegistry createShared() {
        String configured = System.getenv("DM_HARNESS_DIR");
        Path base = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "dm-java-harness");
        ProcessRegistry registry = new ProcessRegistry(base.toAbsolutePath());
        int reaped = registry.reapLeftovers();
        if (reaped > 0) {
            log.warn("killed {} server process(es) left behind by crashed test JVMs", reaped);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(registry::cleanUpOwn, "dm-harness-cleanup"));
        return registry;
    }

    /** Where the record files live. */
    public Path recordDirectory() {
        return recordDir;
    }

    /**
     * Reaps records whose owner JVM is gone: SIGKILLs the child when it is alive with the recorded start
     * instant, deletes the recorded temp dirs and removes the record.
     *
     * @return number of processes killed
     */
    public int reapLeftovers() {
        int killed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(recordDir, "*" + SUFFIX)) {
            for (Path file : files) {
                killed += reap(file);
            }
        } catch (IOException e) {
            log.warn("cannot scan {} for leftovers: {}", recordDir, e.toString());
        }
        return killed;
    }

    private int reap(Path file) {
        ProcessRecord rec;
        try {
            rec = ProcessRecord.readFrom(file);
        } catch (NoSuchFileException e) {
            return 0; // another JVM reaped it first
        } catch (IOException e) {
            log.warn("deleting unreadable record: {}", e.getMessage());
            deleteQuietly(file);
            return 0;
        }
        if (isAlive(rec.ownerPid(), rec.ownerStart(), true)) {
            return 0;
        }
        int killed = 0;
        if (rec.childPid() > 0 && rec.childStart() != null && isAlive(rec.childPid(), rec.childStart(), false)) {
            log.warn("killing leftover {} (pid {}, {}) of dead JVM {}", rec.label(), rec.childPid(),
                    rec.executable(), rec.ownerPid());
            ProcessHandle.of(rec.childPid()).ifPresent(ProcessRegistry::killAndAwait);
            killed = 1;
        }
        rec.tempDirs().forEach(TempDirs::deleteRecursively);
        deleteQuietly(file);
        return killed;
    }

    /**
     * Whether {@code pid} is alive and is the process that started at {@code start}. When the OS does
     * not report a start instant we answer {@code ifUnknown}: "alive" for owners (never reap a JVM's
     * records by mistake) and "not it" for children (never kill what we cannot identify).
     */
    private static boolean isAlive(long pid, Instant start, boolean ifUnknown) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return false;
        }
        Optional<Instant> actual = handle.get().info().startInstant();
        if (actual.isEmpty() || start == null) {
            return ifUnknown;
        }
        return actual.get().equals(start);
    }

    static void killAndAwait(ProcessHandle handle) {
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("pid {} did not exit within 10 s of SIGKILL: {}", handle.pid(), e.toString());
        }
    }

    void track(ManagedProcess process, Instant childStart, String executable) {
        children.add(process);
        new ProcessRecord(ownerPid, ownerStart, process.pid(), childStart, process.label(), executable, List.of())
                .writeTo(childRecord(process.pid()));
    }

    /** Idempotent: called both by an explicit stop and by the child's exit callback. */
    void untrack(ManagedProcess process) {
        if (children.remove(process)) {
            deleteQuietly(childRecord(process.pid()));
        }
    }

    void trackTempDir(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        tempDirRecords.computeIfAbsent(abs, d -> {
            Path file = recordDir.resolve(ownerPid + "-dir-" + recordSeq.incrementAndGet() + SUFFIX);
            new ProcessRecord(ownerPid, ownerStart, 0, null, d.getFileName().toString(), "-", List.of(d))
                    .writeTo(file);
            return file;
        });
    }

    /** Deletes a dir registered with {@link #trackTempDir} and forgets it. */
    void deleteTempDir(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        TempDirs.deleteRecursively(abs);
        Path file = tempDirRecords.remove(abs);
        if (file != null) {
            deleteQuietly(file);
        }
    }

    /**
     * The JVM-wide template for {@code key}, created by {@code factory} on first request; concurrent
     * requests wait for that one creation instead of each doing the slow work. A failed creation is not
     * remembered, so the next request tries again.
     */
    Path dataDirTemplate(String key, Function<String, Path> factory) {
        return dataDirTemplates.computeIfAbsent(key, factory);
    }

    int nextServerId() {
        return serverIds.getAndIncrement();
    }

    /**
     * Claims {@code port} for this JVM. A byte-range lock on a shared file (offset = port) keeps
     * concurrently running test JVMs from handing out the same port; the OS drops the locks when a JVM
     * dies, so nothing needs cleaning up.
     */
    boolean reservePort(int port) {
        if (!reservedPorts.add(port)) {
            return false;
        }
        try {
            if (portLocks.tryLock(port, 1, false) != null) {
                return true;
            }
        } catch (OverlappingFileLockException | IOException e) {
            log.debug("port {} lock unavailable: {}", port, e.toString());
        }
        return false; // stays in reservedPorts so we do not probe it again
    }

    private Path childRecord(long childPid) {
        return recordDir.resolve(ownerPid + "-child-" + childPid + SUFFIX);
    }

    private void cleanUpOwn() {
        for (ManagedProcess child : List.copyOf(children)) {
            if (child.isAlive()) {
                log.info("shutdown: killing {} (pid {})", child.label(), child.pid());
                child.kill();
            }
            untrack(child);
        }
        for (Path dir : List.copyOf(tempDirRecords.keySet())) {
            deleteTempDir(dir);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
