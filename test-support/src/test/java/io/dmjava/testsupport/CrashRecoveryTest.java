package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end cleanup guarantees with real JVMs: one that exits normally (shutdown hook) and one that is
 * SIGKILLed and leaves an orphan behind (reaper of the next run). Each JVM gets its own harness dir.
 */
class CrashRecoveryTest {

    @TempDir
    Path harness;

    @Test
    void shutdownHookKillsChildrenAndDeletesDirsOnNormalExit() throws Exception {
        Process jvm = startHarnessJvm("exit");
        Launched launched = awaitLaunched(jvm);

        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(isAlive(launched.pid)).isFalse();
        assertThat(launched.dir).doesNotExist();
        assertThat(records()).isEmpty();
    }

    @Test
    void nextRunReapsTheOrphanOfASigkilledJvm() throws Exception {
        Process jvm = startHarnessJvm("hang");
        Launched launched = awaitLaunched(jvm);
        try {
            jvm.destroyForcibly();
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(isAlive(launched.pid)).as("orphan survives its JVM").isTrue();
            assertThat(records()).hasSize(2); // the child and the temp dir

            int killed = ProcessRegistry.forDirectory(harness).reapLeftovers();

            assertThat(killed).isEqualTo(1);
            assertThat(isAlive(launched.pid)).isFalse();
            assertThat(launched.dir).doesNotExist();
            assertThat(records()).isEmpty();
        } finally {
            ProcessHandle.of(launched.pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Process startHarnessJvm(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HarnessChildMain.class.getName(), mode)
                .redirectErrorStream(true)
                .redirectOutput(harness.resolve("jvm-" + mode + ".log").toFile());
        builder.environment().put("DM_HARNESS_DIR", harness.toString());
        return builder.start();
    }

    private Launched awaitLaunched(Process jvm) throws Exception {
        Path log = harness.resolve(jvm.info().arguments().map(a -> "jvm-" + a[a.length - 1] + ".log")
                .orElseThrow());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("CHILD ")) {
                    String[] parts = line.split(" ");
                    return new Launched(Long.parseLong(parts[1]), Path.of(parts[3]));
                }
            }
            if (!jvm.isAlive() && jvm.exitValue() != 0) {
                break;
            }
            Thread.sleep(50);
        }
        jvm.destroyForcibly();
        return fail("harness JVM did not report its child:\n" + Files.readString(log));
    }

    private List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(harness.resolve("pids"))) {
            return files.toList();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private record Launched(long pid, Path dir) {
    }
}
