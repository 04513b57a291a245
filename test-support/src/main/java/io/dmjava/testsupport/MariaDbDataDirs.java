package io.dmjava.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides freshly initialised MariaDB data dirs. {@code mariadb-install-db} costs 1-3 s (it writes and
 * fsyncs the redo log and system tables), while copying its result costs ~0.1 s, so each JVM runs it
 * once into a template dir and every instance starts from a copy. A copy of a cleanly shut down,
 * never-started data dir carries no server identity (MariaDB has no per-datadir UUID, and the server id
 * and binlog settings are command-line options), so instances stay independent.
 */
final class MariaDbDataDirs {

    private static final Logger log = LoggerFactory.getLogger(MariaDbDataDirs.class);
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(60);

    private MariaDbDataDirs() {
    }

    /**
     * Fills {@code target} (which must not exist yet) with a new data dir.
     *
     * @param innodbOptions options that must match between initialisation and the server
     */
    static void provision(Path installDb, List<String> innodbOptions, Path target) {
        String key = installDb + " " + String.join(" ", innodbOptions);
        Path template = ProcessRegistry.get().dataDirTemplate(key, k -> install(installDb, innodbOptions));
        TempDirs.copyRecursively(template, target);
    }

    private static Path install(Path installDb, List<String> innodbOptions) {
        long began = System.nanoTime();
        Path dir = ProcessLauncher.createTempDir("dm-mariadb-template-");
        Path data = dir.resolve("data");
        List<String> cmd = new ArrayList<>(List.of(
                installDb.toString(),
                "--no-defaults", // never pick up /etc/mysql/*.cnf of the host
                "--auth-root-authentication-method=normal", // root@127.0.0.1 with an empty password
                "--datadir=" + data,
                "--user=" + System.getProperty("user.name"),
                "--skip-test-db",
                "--skip-name-resolve"));
        cmd.addAll(innodbOptions);
        ManagedProcess install = ProcessLauncher.launch("mariadb-install-db", cmd, dir,
                dir.resolve("install-db.log"), Map.of());
        if (!install.waitForExit(INSTALL_TIMEOUT)) {
            install.kill();
            throw Readiness.failure(install, "mariadb-install-db did not finish within " + INSTALL_TIMEOUT);
        }
        if (install.exitValue() != 0) {
            throw Readiness.failure(install, "mariadb-install-db failed with status " + install.exitValue());
        }
        log.info("MariaDB template data dir initialised in {} ms at {}", (System.nanoTime() - began) / 1_000_000,
                data);
        return data;
    }
}
