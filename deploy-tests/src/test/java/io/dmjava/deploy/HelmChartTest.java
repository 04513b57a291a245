package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lints and renders helm/dm-java with several values combinations (through helm-java, which embeds Helm),
 * parses every rendered object strictly against fabric8's Kubernetes model, and checks the facts a
 * deployment depends on.
 */
class HelmChartTest {
    private static final String BASE = Chart.RELEASE + "-dm-java";
    private static final String MASTER = BASE + "-master";
    private static final String WORKER = BASE + "-worker";
    private static final String ETCD = BASE + "-etcd";
    private static final String SVC = "." + Chart.NAMESPACE + ".svc.cluster.local";

    private static Chart defaults;

    @BeforeAll
    static void renderDefaults() {
        defaults = Chart.render();
    }

    @Test
    void lintsCleanlyInStrictMode() {
        LintResult lint = new Helm(RepoFiles.chart()).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void chartVersionsAndImagesFollowTheProject() {
        JsonNode chart = Yaml.parse(RepoFiles.chart().resolve("Chart.yaml"));
        String version = System.getProperty("dm.project.version", "0.1.0-SNAPSHOT");
        assertThat(chart.path("appVersion").asText()).as("Chart.yaml appVersion = the Maven project version").isEqualTo(version);
        assertThat(container(defaults.get(StatefulSet.class, MASTER)).getImage()).isEqualTo("dm-java/master:" + version);
        assertThat(container(defaults.get(StatefulSet.class, WORKER)).getImage()).isEqualTo("dm-java/worker:" + version);
        assertThat(container(defaults.get(StatefulSet.class, ETCD)).getImage()).startsWith("quay.io/coreos/etcd:v3.");
        assertThat(container(Chart.render(Map.of("master.image.repository", "registry.example/dm/master",
                "master.image.tag", "1.2.3")).get(StatefulSet.class, MASTER)).getImage())
                .isEqualTo("registry.example/dm/master:1.2.3");
    }

    @Test
    void defaultsRenderTheWholeCluster() {
        assertThat(kinds(defaults)).containsExactlyInAnyOrder(
                "Service/" + ETCD, "StatefulSet/" + ETCD, "PodDisruptionBudget/" + ETCD,
                "Service/" + MASTER, "Service/" + MASTER + "-headless", "StatefulSet/" + MASTER,
                "PodDisruptionBudget/" + MASTER,
                "Service/" + WORKER + "-headless", "StatefulSet/" + WORKER, "PodDisruptionBudget/" + WORKER,
                "Secret/" + BASE + "-secret", "ConfigMap/" + BASE + "-dashboards");
        assertThat(defaults.objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE));
        assertThat(defaults.get(StatefulSet.class, ETCD).getSpec().getReplicas()).isEqualTo(3);
        assertThat(defaults.get(StatefulSet.class, MASTER).getSpec().getReplicas()).isEqualTo(3);
        assertThat(defaults.get(StatefulSet.class, WORKER).getSpec().getReplicas()).isEqualTo(3);
        assertThat(defaults.all(StatefulSet.class)).allSatisfy(s -> assertThat(container(s).getResources().getRequests())
                .as("%s resources", s.getMetadata().getName()).containsKeys("cpu", "memory"));
    }

    @Test
    void mastersUseTheChartsEtcdAndAnswerOn8261() {
        StatefulSet master = defaults.get(StatefulSet.class, MASTER);
        Container c = container(master);
        assertThat(master.getSpec().getServiceName()).isEqualTo(MASTER + "-headless");
        assertThat(port(c, "http").getContainerPort()).isEqualTo(8261);
        String endpoints = String.join(",", List.of(0, 1, 2).stream()
                .map(i -> "http://" + ETCD + "-" + i + "." + ETCD + SVC + ":2379").toList());
        assertThat(c.getArgs()).contains("--dm.etcd.embedded=false", "--dm.etcd.endpoints=" + endpoints,
                "--dm.master.name=$(POD_NAME)", "--server.port=8261",
                "--dm.master.advertise-addr=$(POD_NAME)." + MASTER + "-headless" + SVC + ":8261");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        assertProbes(c, 8261);

        Service client = defaults.get(Service.class, MASTER);
        ServicePort p = client.getSpec().getPorts().get(0);
        assertThat(p.getPort()).isEqualTo(8261);
        assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(client.getSpec().getClusterIP()).isNull();
        Service headless = defaults.get(Service.class, MASTER + "-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getPorts().get(0).getPort()).isEqualTo(8261);

        // the etcd members' own URLs agree with what the masters are given
        Container etcd = container(defaults.get(StatefulSet.class, ETCD));
        assertThat(etcd.getArgs()).contains("--advertise-client-urls=http://$(POD_NAME)." + ETCD + SVC + ":2379",
                "--initial-cluster=" + String.join(",", List.of(0, 1, 2).stream()
                        .map(i -> ETCD + "-" + i + "=http://" + ETCD + "-" + i + "." + ETCD + SVC + ":2380").toList()));
        assertThat(defaults.get(StatefulSet.class, ETCD).getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(defaults.get(Service.class, ETCD).getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(defaults.get(StatefulSet.class, ETCD).getSpec().getVolumeClaimTemplates())
                .extracting(pvc -> pvc.getMetadata().getName()).containsExactly("data");
    }

    @Test
    void workersJoinTheMasterServiceAndKeepTheirDataDirOnAClaim() {
        StatefulSet worker = defaults.get(StatefulSet.class, WORKER);
        Container c = container(worker);
        assertThat(port(c, "http").getContainerPort()).isEqualTo(8262);
        assertThat(c.getArgs()).contains("--dm.worker.join=" + MASTER + SVC + ":8261", "--dm.worker.name=$(POD_NAME)",
                "--dm.worker.advertise-addr=$(POD_NAME)." + WORKER + "-headless" + SVC + ":8262");
        String dataDir = arg(c, "--dm.worker.data-dir=");
        VolumeMount data = mount(c, "data");
        assertThat(data.getMountPath()).isEqualTo(dataDir);
        List<PersistentVolumeClaim> claims = worker.getSpec().getVolumeClaimTemplates();
        assertThat(claims).extracting(pvc -> pvc.getMetadata().getName()).containsExactly("data");
        assertThat(claims.get(0).getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
        assertThat(claims.get(0).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(worker.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getName().equals("data"));
        assertProbes(c, 8262);
        assertThat(defaults.get(Service.class, WORKER + "-headless").getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void theGeneratedSecretKeyIsMountedIntoMastersAndWorkers() {
        Secret secret = defaults.get(Secret.class, BASE + "-secret");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        String file = new String(Base64.getDecoder().decode(secret.getData().get("dm-secret.key")), StandardCharsets.UTF_8);
        assertThat(Base64.getDecoder().decode(file.trim())).as("the key file is base64 of 32 bytes").hasSize(32);
        assertThat(Chart.render().get(Secret.class, BASE + "-secret").getData())
                .as("a fresh install gets a fresh random key").isNotEqualTo(secret.getData());
        assertKeyMounted(defaults, BASE + "-secret", "dm-secret.key", "/etc/dm/secret");
    }

    @Test
    void anUpgradeKeepsTheKeyOfTheInstalledRelease() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String data = Base64.getEncoder().encodeToString(
                (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.UTF_8));
        String name = BASE + "-secret";
        FakeKubeApi.get().putSecret(Chart.NAMESPACE, name, """
                {"apiVersion":"v1","kind":"Secret","type":"Opaque",
                 "metadata":{"name":"%s","namespace":"%s"},"data":{"dm-secret.key":"%s"}}""".formatted(name, Chart.NAMESPACE, data));
        try {
            assertThat(Chart.render().get(Secret.class, name).getData()).containsExactly(Map.entry("dm-secret.key", data));
        } finally {
            FakeKubeApi.get().removeSecret(Chart.NAMESPACE, name);
        }
    }

    @Test
    void anExistingSecretReplacesTheGeneratedOne() {
        Chart chart = Chart.render("existing-secret.yaml");
        assertThat(chart.all(Secret.class)).isEmpty();
        assertKeyMounted(chart, "dm-key-from-vault", "aes.key", "/var/run/dm-key");
    }

    @Test
    void externalEtcdReplacesTheChartsEtcd() {
        Chart chart = Chart.render("external-etcd.yaml");
        assertThat(chart.objects).noneMatch(o -> o.getMetadata().getName().startsWith(ETCD));
        String endpoints = "--dm.etcd.endpoints=http://etcd-0.etcd.infra.svc:2379,http://etcd-1.etcd.infra.svc:2379,"
                + "http://etcd-2.etcd.infra.svc:2379";
        assertThat(container(chart.get(StatefulSet.class, MASTER)).getArgs()).contains(endpoints, "--dm.etcd.embedded=false");
        assertThat(container(chart.get(StatefulSet.class, WORKER)).getArgs()).contains(endpoints);
    }

    @Test
    void disruptionBudgetsAndServicesSelectTheirOwnPods() {
        for (Chart chart : List.of(defaults, Chart.render("monitoring.yaml"))) {
            List<StatefulSet> sets = chart.all(StatefulSet.class);
            for (StatefulSet s : sets) {
                assertThat(s.getSpec().getTemplate().getMetadata().getLabels())
                        .as("%s pod labels carry its selector", s.getMetadata().getName())
                        .containsAllEntriesOf(s.getSpec().getSelector().getMatchLabels());
            }
            List<PodDisruptionBudget> pdbs = chart.all(PodDisruptionBudget.class);
            assertThat(pdbs).hasSize(3);
            for (PodDisruptionBudget pdb : pdbs) {
                Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
                assertThat(sets).as("pods selected by PDB %s", pdb.getMetadata().getName())
                        .filteredOn(s -> s.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                        .extracting(s -> s.getMetadata().getName()).containsExactly(pdb.getMetadata().getName());
                assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            }
            for (Service svc : chart.all(Service.class)) {
                Map<String, String> selector = svc.getSpec().getSelector();
                List<StatefulSet> selected = sets.stream().filter(s -> s.getSpec().getTemplate().getMetadata().getLabels()
                        .entrySet().containsAll(selector.entrySet())).toList();
                assertThat(selected).as("pods selected by Service %s", svc.getMetadata().getName()).hasSize(1);
                List<String> named = container(selected.get(0)).getPorts().stream().map(ContainerPort::getName).toList();
                assertThat(svc.getSpec().getPorts()).allSatisfy(p -> assertThat(named).contains(p.getTargetPort().getStrVal()));
            }
        }
    }

    @Test
    void dashboardsConfigMapCarriesTheSidecarLabelAndTheDashboards() throws Exception {
        ConfigMap cm = defaults.get(ConfigMap.class, BASE + "-dashboards");
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        List<Path> files;
        try (Stream<Path> s = Files.list(RepoFiles.dashboards())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(cm.getData().keySet()).containsExactlyInAnyOrderElementsOf(
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path f : files) {
            assertThat(Yaml.parseJson(cm.getData().get(f.getFileName().toString())))
                    .as("%s in the ConfigMap", f.getFileName()).isEqualTo(Yaml.parseJson(RepoFiles.read(f)));
        }
        Chart without = Chart.render("no-dashboards-no-persistence.yaml");
        assertThat(without.all(ConfigMap.class)).isEmpty();
    }

    @Test
    void withoutPersistenceAndBudgetsPodsUseEmptyDirs() {
        Chart chart = Chart.render("no-dashboards-no-persistence.yaml");
        assertThat(chart.all(PodDisruptionBudget.class)).isEmpty();
        for (String name : List.of(ETCD, WORKER)) {
            StatefulSet s = chart.get(StatefulSet.class, name);
            assertThat(s.getSpec().getVolumeClaimTemplates()).as(name).isEmpty();
            assertThat(s.getSpec().getTemplate().getSpec().getVolumes())
                    .anySatisfy(v -> {
                        assertThat(v.getName()).isEqualTo("data");
                        assertThat(v.getEmptyDir()).isNotNull();
                    });
        }
        assertThat(chart.get(StatefulSet.class, ETCD).getSpec().getReplicas()).isEqualTo(1);
        assertThat(container(chart.get(StatefulSet.class, MASTER)).getArgs())
                .contains("--dm.etcd.endpoints=http://" + ETCD + "-0." + ETCD + SVC + ":2379");
        assertThat(chart.get(StatefulSet.class, WORKER).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void serviceMonitorScrapesMastersAndWorkersAsTheRulesExpect() {
        Chart chart = Chart.render("monitoring.yaml");
        ServiceMonitor sm = chart.get(ServiceMonitor.class, BASE);
        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(sm.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).isEqualTo("/actuator/prometheus");
            assertThat(e.getPort()).isEqualTo("http");
            assertThat(e.getInterval()).isEqualTo("15s");
        });
        Map<String, String> selector = sm.getSpec().getSelector().getMatchLabels();
        List<Service> scraped = chart.all(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        // one Service per component, so every pod is scraped once, under the job name the rules use
        assertThat(scraped).extracting(s -> s.getMetadata().getLabels().get(sm.getSpec().getJobLabel()))
                .containsExactlyInAnyOrder("dm-master", "dm-worker");
        assertThat(scraped).allSatisfy(s -> assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName).contains("http"));
    }

    @Test
    void prometheusRuleEmbedsTheAlertRules() {
        List<String> rules = alertNames(RepoFiles.alertRules());

        PrometheusRule all = Chart.render("monitoring.yaml").get(PrometheusRule.class, BASE);
        assertThat(all.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(alertNames(all)).containsExactlyElementsOf(rules).contains("DM_pending_DDL");
        Rule workerOffline = all.getSpec().getGroups().get(0).getRules().stream()
                .filter(r -> "DM_worker_offline".equals(r.getAlert())).findFirst().orElseThrow();
        JsonNode source = Yaml.alerts(RepoFiles.alertRules()).stream()
                .filter(r -> r.path("alert").asText().equals("DM_worker_offline")).findFirst().orElseThrow();
        assertThat(workerOffline.getExpr().getStrVal()).isEqualTo(source.path("expr").asText());
        assertThat(workerOffline.getAnnotations().get("summary")).contains("{{ $labels.worker }}");
        assertThat(workerOffline.getFor()).isEqualTo("1m");

        assertThat(defaults.all(PrometheusRule.class)).isEmpty();
        assertThat(defaults.all(ServiceMonitor.class)).isEmpty();
    }

    @Test
    void chartCopiesOfDashboardsAndRulesMatchGrafanaDir() throws Exception {
        for (String dir : List.of("dashboards", "alerts")) {
            Path original = RepoFiles.grafana().resolve(dir);
            Path copy = RepoFiles.chart().resolve("files").resolve(dir);
            List<String> originals;
            List<String> copies;
            try (Stream<Path> a = Files.list(original); Stream<Path> b = Files.list(copy)) {
                originals = a.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
                copies = b.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(copies).as("files in helm/dm-java/files/%s", dir).isEqualTo(originals);
            for (String f : originals) {
                assertThat(RepoFiles.read(copy.resolve(f)))
                        .as("helm/dm-java/files/%s/%s must equal grafana/%s/%s: copy it again", dir, f, dir, f)
                        .isEqualTo(RepoFiles.read(original.resolve(f)));
            }
        }
    }

    @Test
    void everyValueIsDocumented() {
        List<String> lines = RepoFiles.read(RepoFiles.chart().resolve("values.yaml")).lines().toList();
        // A key is documented by a "# --" comment right above it, or above one of its parents.
        List<String> undocumented = new ArrayList<>();
        List<int[]> stack = new ArrayList<>(); // {indent, documented}
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("- ") || !t.matches("[A-Za-z0-9_.\"-]+:.*")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            stack.removeIf(e -> e[0] >= indent);
            boolean self = false;
            for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("#"); j--) {
                self |= lines.get(j).strip().startsWith("# --");
            }
            boolean inherited = stack.stream().anyMatch(e -> e[1] == 1);
            String value = t.substring(t.indexOf(':') + 1).strip();
            boolean leaf = !value.isEmpty() && !value.startsWith("#");
            if (leaf && !self && !inherited) {
                undocumented.add((i + 1) + ": " + t);
            }
            stack.add(new int[] {indent, self || inherited ? 1 : 0});
        }
        assertThat(undocumented).as("values without a '# --' comment").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> kinds(Chart chart) {
        return chart.objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    private static Container container(StatefulSet s) {
        assertThat(s.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return s.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static ContainerPort port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no port " + name + " on " + c.getName()));
    }

    private static VolumeMount mount(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> volume.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume + " in " + c.getName()));
    }

    private static String arg(Container c, String prefix) {
        return c.getArgs().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + c.getArgs()));
    }

    private static void assertProbes(Container c, int port) {
        assertProbe(c.getReadinessProbe(), "/actuator/health/readiness", c, port);
        assertProbe(c.getLivenessProbe(), "/actuator/health/liveness", c, port);
    }

    private static void assertProbe(Probe probe, String path, Container c, int port) {
        assertThat(probe).as("%s probe %s", c.getName(), path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(port(c, probe.getHttpGet().getPort().getStrVal()).getContainerPort()).isEqualTo(port);
    }

    private static void assertKeyMounted(Chart chart, String secretName, String key, String mountPath) {
        for (String name : List.of(MASTER, WORKER)) {
            StatefulSet s = chart.get(StatefulSet.class, name);
            Container c = container(s);
            Volume v = s.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(x -> x.getSecret() != null).findFirst().orElseThrow(() -> new AssertionError(name + ": no secret volume"));
            assertThat(v.getSecret().getSecretName()).isEqualTo(secretName);
            assertThat(v.getSecret().getItems()).singleElement().satisfies(item -> {
                assertThat(item.getKey()).isEqualTo(key);
                assertThat(item.getPath()).isEqualTo(key);
            });
            VolumeMount m = mount(c, v.getName());
            assertThat(m.getMountPath()).isEqualTo(mountPath);
            assertThat(m.getReadOnly()).isTrue();
            assertThat(arg(c, "--dm.secret.key-file=")).as(name).isEqualTo(mountPath + "/" + key);
        }
        Optional<Secret> secret = chart.find(Secret.class, secretName);
        secret.ifPresent(s -> assertThat(s.getData()).containsKey(key));
    }

    private static List<String> alertNames(Path ruleFile) {
        return Yaml.alerts(ruleFile).stream().map(r -> r.path("alert").asText()).toList();
    }

    private static List<String> alertNames(PrometheusRule rule) {
        return rule.getSpec().getGroups().stream().map(RuleGroup::getRules).flatMap(List::stream)
                .map(Rule::getAlert).toList();
    }

    @SuppressWarnings("unused")
    private static String describe(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
