package io.dmjava.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the throw-away JVMs started by {@link CrashRecoveryTest}: launches a child and a temp
 * dir through the harness, reports them, then exits normally ({@code exit}) or waits to be SIGKILLed
 * ({@code hang}).
 */
public final class HarnessChildMain {

    private HarnessChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = ProcessLauncher.createTempDir("dm-java-crashtest-");
        ManagedProcess sleep = ProcessLauncher.launch("orphan-candidate", List.of("sleep", "300"), dir,
                dir.resolve("sleep.log"), Map.of());
        System.out.println("CHILD " + sleep.pid() + " DIR " + dir);
        System.out.flush();
        if ("exit".equals(args[0])) {
            System.exit(0);
        }
        Thread.sleep(300_000);
    }
}
