package io.dmjava.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** The chart rendered by {@code helm template} (helm-java), parsed strictly. */
final class Chart {
    static final String RELEASE = "dm";
    static final String NAMESPACE = "dm-test";
    static final String KUBE_VERSION = "1.30.0";
    private static final Path VALUES = RepoFiles.root().resolve("deploy-tests/src/test/resources/helm-values");

    final String yaml;
    final List<HasMetadata> objects;

    private Chart(String yaml) {
        this.yaml = yaml;
        this.objects = StrictManifests.parse(yaml);
    }

    /** Renders with the chart's defaults plus the given values files (src/test/resources/helm-values/). */
    static Chart render(String... valuesFiles) {
        return render(Map.of(), valuesFiles);
    }

    static Chart render(Map<String, String> set, String... valuesFiles) {
        FakeKubeApi.get(); // answers the chart's lookup of an existing key Secret
        TemplateCommand cmd = new Helm(RepoFiles.chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (String f : valuesFiles) {
            cmd = cmd.withValuesFile(VALUES.resolve(f).toAbsolutePath());
        }
        for (var e : set.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        String yaml = cmd.call();
        keepForInspection(yaml, set, valuesFiles);
        return new Chart(yaml);
    }

    /** Leaves each rendering in target/helm-rendered/ for a human to read when a test fails. */
    private static void keepForInspection(String yaml, Map<String, String> set, String... valuesFiles) {
        String name = (valuesFiles.length == 0 ? "defaults" : String.join("+", valuesFiles).replace(".yaml", ""))
                + (set.isEmpty() ? "" : "+set" + Integer.toHexString(set.hashCode()));
        try {
            Path dir = RepoFiles.root().resolve("deploy-tests/target/helm-rendered");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // only a convenience
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> Objects.equals(o.getMetadata().getName(), name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name
                + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.joining(", "))));
    }
}
