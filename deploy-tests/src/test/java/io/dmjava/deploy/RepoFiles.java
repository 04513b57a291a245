package io.dmjava.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the deployment artifacts in the repository. */
final class RepoFiles {
    private RepoFiles() {
    }

    /** The repository root: {@code dm.repo.root} (set by the pom), else found upwards from the working dir. */
    static Path root() {
        String configured = System.getProperty("dm.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("helm/dm-java/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found: set -Ddm.repo.root");
    }

    static Path chart() {
        return root().resolve("helm/dm-java");
    }

    static Path grafana() {
        return root().resolve("grafana");
    }

    static Path alertRules() {
        return grafana().resolve("alerts/dm-alerts.yml");
    }

    static Path dashboards() {
        return grafana().resolve("dashboards");
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
