package io.dmjava.worker.relay;

import io.dmjava.worker.unit.DbConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A separate JVM running one relay unit, for tests that SIGKILL it. Arguments: upstream port, relay dir, start
 * file, server id. It stops gracefully when the file {@code <relay dir>/../stop} appears.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        DbConfig up = new DbConfig("127.0.0.1", Integer.parseInt(args[0]), "root", "", null);
        Path dir = Path.of(args[1]);
        Path stop = dir.resolveSibling("stop");
        RelayOptions opts = RelayOptions.of("crash", up, dir, args[2], "", Long.parseLong(args[3]));
        try (RelayUnit unit = new RelayUnit(opts, s -> Optional.empty())) {
            unit.start();
            System.out.println("PHASE relay-start");
            for (int i = 0; i < 36_000 && !Files.exists(stop); i++) {
                if (!"Running".equals(unit.stage())) {
                    System.out.println("relay left Running: " + unit.stage() + " " + unit.lastError());
                    System.exit(2);
                }
                Thread.sleep(50);
            }
        }
        System.out.println("PHASE relay-stopped");
        System.out.flush();
        System.exit(0);
    }
}
