package io.dmjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flight recordings of the DM JVMs during the timed run only ({@code --jfr DIR}), started and dumped with
 * {@code jcmd}, for {@code jfr print --events jdk.ExecutionSample} or {@code jfr summary}.
 */
final class Jfr {
    private static final String NAME = "dm-bench";

    private Jfr() {
    }

    static void start(long... pids) throws IOException, InterruptedException {
        for (long pid : pids) {
            jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile");
        }
    }

    /** Dumps each recording to {@code DIR/<role>.jfr} and stops it. */
    static void stop(Path dir, Map<String, Long> pidByRole) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Long> e : pidByRole.entrySet()) {
            Path file = dir.toAbsolutePath().resolve(e.getKey() + ".jfr");
            jcmd(e.getValue(), "JFR.stop", "name=" + NAME, "filename=" + file);
            System.out.println("flight recording: " + file);
        }
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
