package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulates a crashed test JVM by writing the record it would have left: the owner pid is that of a
 * process that has already exited. Uses a registry on its own directory so the real one is untouched.
 */
class ProcessRegistryReaperTest {

    private static final Instant AN_HOUR_AGO = Instant.now().minusSeconds(3600);

    @TempDir
    Path base;
    private ProcessRegistry registry;
    private Process sleep;

    @BeforeEach
    void startOrphanCandidate() throws Exception {
        registry = ProcessRegistry.forDirectory(base);
        sleep = new ProcessBuilder("sleep", "300").start();
    }

    @AfterEach
    void killSleep() {
        sleep.destroyForcibly();
    }

    @Test
    void killsLeftoverChildOfDeadOwnerAndDeletesItsDirs() throws Exception {
        Path leftoverDir = Files.createDirectories(base.resolve("leftover").resolve("data"));
        Path record = writeRecord(deadPid(), AN_HOUR_AGO, sleepStart(), List.of(leftoverDir.getParent()));

        int killed = registry.reapLeftovers();

        assertThat(killed).isEqualTo(1);
        assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(record).doesNotExist();
        assertThat(base.resolve("leftover")).doesNotExist();
    }

    @Test
    void sparesAProcessWhoseStartInstantDoesNotMatch() throws Exception {
        // Same pid, different start: the pid was recycled by an unrelated process.
        Path record = writeRecord(deadPid(), AN_HOUR_AGO, sleepStart().minusSeconds(3600), List.of());

        int killed = registry.reapLeftovers();

        assertThat(killed).isZero();
        assertThat(sleep.isAlive()).isTrue();
        assertThat(record).doesNotExist();
    }

    @Test
    void leavesRecordsOfALiveOwnerAlone() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Path record = writeRecord(self.pid(), self.info().startInstant().orElseThrow(), sleepStart(), List.of());

        int killed = registry.reapLeftovers();

        assertThat(killed).isZero();
        assertThat(sleep.isAlive()).isTrue();
        assertThat(record).exists();
    }

    private Path writeRecord(long ownerPid, Instant ownerStart, Instant childStart, List<Path> dirs) {
        Path file = registry.recordDirectory().resolve(ownerPid + "-child-" + sleep.pid() + ".properties");
        new ProcessRecord(ownerPid, ownerStart, sleep.pid(), childStart, "leftover-sleep",
                "/usr/bin/sleep", dirs).writeTo(file);
        return file;
    }

    private Instant sleepStart() {
        return sleep.info().startInstant().orElseThrow();
    }

    private static long deadPid() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        return done.pid();
    }
}
