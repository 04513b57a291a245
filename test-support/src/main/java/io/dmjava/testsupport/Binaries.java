package io.dmjava.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the real server binaries the harness launches. An environment variable names a binary
 * explicitly; otherwise the {@code PATH} is searched, plus the sbin directories because Debian
 * installs {@code mariadbd} in {@code /usr/sbin}, which is not on a non-root user's PATH.
 * Nothing is cached: a lookup is a handful of {@code stat} calls.
 */
public final class Binaries {

    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private Binaries() {
    }

    /**
     * Locates {@code executable}.
     *
     * @param executable    file name to look for, e.g. {@code etcd}
     * @param envVar        environment variable that, when set, names the binary and wins
     * @param debianPackage package that ships the binary, named in the error message
     * @return absolute path of an executable regular file
     * @throws IllegalStateException when the binary is missing, with an install hint
     */
    public static Path find(String executable, String envVar, String debianPackage) {
        String override = System.getenv(envVar);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override.trim()).toAbsolutePath();
            if (isExecutableFile(path)) {
                return path;
            }
            throw new IllegalStateException("$" + envVar + " points at " + path
                    + ", which is not an executable file; fix it or unset it to search the PATH");
        }
        for (Path dir : searchDirs()) {
            Path candidate = dir.resolve(executable);
            if (isExecutableFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(executable + " not found on PATH (nor $" + envVar + "); install the Debian"
                + " package '" + debianPackage + "' (apt-get install -y " + debianPackage + ") or point " + envVar
                + " at the binary");
    }

    /** The etcd server ({@code $ETCD_BIN} or Debian's {@code etcd-server}). */
    public static Path etcd() {
        return find("etcd", "ETCD_BIN", "etcd-server");
    }

    /** The MariaDB server ({@code $MARIADBD_BIN} or Debian's {@code mariadb-server}). */
    public static Path mariadbd() {
        return find("mariadbd", "MARIADBD_BIN", "mariadb-server");
    }

    /** The data-directory initialiser ({@code $MARIADB_INSTALL_DB_BIN} or Debian's {@code mariadb-server}). */
    public static Path mariadbInstallDb() {
        return find("mariadb-install-db", "MARIADB_INSTALL_DB_BIN", "mariadb-server");
    }

    private static Set<Path> searchDirs() {
        List<String> entries = new ArrayList<>();
        String pathVar = System.getenv("PATH");
        if (pathVar != null) {
            entries.addAll(List.of(pathVar.split(File.pathSeparator)));
        }
        entries.addAll(EXTRA_DIRS);
        Set<Path> dirs = new LinkedHashSet<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        return dirs;
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
