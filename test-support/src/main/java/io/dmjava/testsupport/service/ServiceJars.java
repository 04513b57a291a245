package io.dmjava.testsupport.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds the executable jars of the master and worker: from a system property or environment variable
 * ({@code dm.master.jar} / {@code DM_MASTER_JAR}, {@code dm.worker.jar} / {@code DM_WORKER_JAR}), else in
 * {@code <module>/target/} of the repository containing the working directory.
 */
public final class ServiceJars {
    private ServiceJars() {
    }

    public static Path master() {
        return find("master-service", "dm.master.jar", "DM_MASTER_JAR");
    }

    public static Path worker() {
        return find("worker-service", "dm.worker.jar", "DM_WORKER_JAR");
    }

    private static Path find(String module, String property, String env) {
        String configured = System.getProperty(property, System.getenv(env));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(property + " points at " + p + ", which does not exist");
            }
            return p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve(module).resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    var jar = files.filter(f -> f.getFileName().toString().matches(module + "-.*\\.jar"))
                            .filter(f -> !f.getFileName().toString().endsWith("-sources.jar"))
                            .findFirst();
                    if (jar.isPresent()) {
                        return jar.get();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot list " + target, e);
                }
            }
        }
        throw new IllegalStateException(module + " jar not found: build it first (mvn -DskipTests package) or set -D"
                + property + " / " + env);
    }
}
