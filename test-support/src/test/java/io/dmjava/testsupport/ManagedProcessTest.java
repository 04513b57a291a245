package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @Test
    void launchRecordsTheChildAndStoppingRemovesTheRecord(@TempDir Path dir) {
        ManagedProcess sleep = ProcessLauncher.launch("sleeper", List.of("sleep", "300"), dir,
                dir.resolve("sleep.log"), Map.of());
        Path record = ProcessRegistry.get().recordDirectory()
                .resolve(ProcessHandle.current().pid() + "-child-" + sleep.pid() + ".properties");
        assertThat(sleep.isAlive()).isTrue();
        assertThat(record).exists();

        sleep.terminate(Duration.ofSeconds(5));

        assertThat(sleep.isAlive()).isFalse();
        assertThat(record).doesNotExist();
    }

    @Test
    void suspendAndResumeFreezeAndThawTheChild(@TempDir Path dir) throws IOException {
        ManagedProcess sleep = ProcessLauncher.launch("sleeper", List.of("sleep", "300"), dir,
                dir.resolve("sleep.log"), Map.of());
        try {
            sleep.suspend();
            assertThat(state(sleep.pid())).isEqualTo('T');
            sleep.resume();
            assertThat(state(sleep.pid())).isIn('S', 'R');
            // SIGTERM must still work on a suspended child.
            sleep.suspend();
            sleep.terminate(Duration.ofSeconds(5));
            assertThat(sleep.isAlive()).isFalse();
        } finally {
            sleep.kill();
        }
    }

    @Test
    void outputIsAppendedToTheLogAndTailable(@TempDir Path dir) {
        Path log = dir.resolve("out.log");
        ManagedProcess first = ProcessLauncher.launch("echo", List.of("sh", "-c", "echo one; echo two >&2"),
                dir, log, Map.of());
        assertThat(first.waitForExit(Duration.ofSeconds(10))).isTrue();
        ManagedProcess second = ProcessLauncher.launch("echo", List.of("sh", "-c", "echo \"three $EXTRA\""),
                dir, log, Map.of("EXTRA", "four"));
        assertThat(second.waitForExit(Duration.ofSeconds(10))).isTrue();

        assertThat(second.exitValue()).isZero();
        assertThat(second.logFile()).isEqualTo(log);
        assertThat(second.tailLog(100)).contains("one", "two", "three four");
        assertThat(second.tailLog(1)).isEqualTo("three four");
    }

    private static char state(long pid) throws IOException {
        // /proc/<pid>/stat: "pid (comm) S ..."; comm is "sleep", so no parentheses inside it.
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
