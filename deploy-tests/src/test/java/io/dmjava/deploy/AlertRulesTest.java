package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of grafana/alerts: valid for Prometheus ({@code promtool check rules}), their unit tests
 * pass ({@code promtool test rules}), and every alert has a case where it fires and one where it must not.
 * Also checks that every dashboard query is valid PromQL.
 */
class AlertRulesTest {
    private static final Path ALERTS = RepoFiles.grafana().resolve("alerts");
    private static final Path TESTS = ALERTS.resolve("tests");

    @BeforeAll
    static void promtoolInstalled() {
        Assumptions.assumeTrue(Promtool.find().isPresent(),
                "SKIPPED: promtool is not on the PATH. Install it with scripts/ensure-deps.sh (Debian package "
                        + "'prometheus'), or any Prometheus release's promtool, to check the alert rules.");
    }

    @Test
    void rulesAreValid() {
        Promtool.Result r = Promtool.run(ALERTS, "check", "rules", "dm-alerts.yml");
        assertThat(r.exitCode()).as("promtool check rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + Yaml.alerts(RepoFiles.alertRules()).size() + " rules found");
    }

    @Test
    void ruleUnitTestsPass() throws IOException {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(testFiles().stream().map(p -> ALERTS.relativize(p).toString()).toList());
        Promtool.Result r = Promtool.run(ALERTS, args.toArray(String[]::new));
        assertThat(r.exitCode()).as("promtool test rules:\n%s", r.output()).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() throws IOException {
        // rule file -> alert -> {fires, stays quiet}
        Map<Path, Map<String, boolean[]>> seen = new HashMap<>();
        for (Path test : testFiles()) {
            JsonNode doc = Yaml.parse(test);
            List<Path> ruleFiles = new ArrayList<>();
            doc.path("rule_files").forEach(f -> ruleFiles.add(test.getParent().resolve(f.asText()).normalize()));
            for (JsonNode t : doc.path("tests")) {
                for (JsonNode a : t.path("alert_rule_test")) {
                    boolean fires = a.path("exp_alerts").size() > 0;
                    for (Path rf : ruleFiles) {
                        seen.computeIfAbsent(rf, k -> new HashMap<>())
                                .computeIfAbsent(a.path("alertname").asText(), k -> new boolean[2])[fires ? 0 : 1] = true;
                    }
                }
            }
        }
        Map<String, String> missing = new TreeMap<>();
        Path rf = RepoFiles.alertRules();
        for (JsonNode rule : Yaml.alerts(rf)) {
            String alert = rule.path("alert").asText();
            boolean[] cases = seen.getOrDefault(rf.normalize(), Map.of()).getOrDefault(alert, new boolean[2]);
            if (!cases[0] || !cases[1]) {
                missing.put(rf.getFileName() + " " + alert, (cases[0] ? "" : "no firing case ") + (cases[1] ? "" : "no quiet case"));
            }
        }
        assertThat(missing).as("alerts without both kinds of unit test in grafana/alerts/tests").isEmpty();
    }

    @Test
    void rulesFollowTheConventions() {
        for (JsonNode rule : Yaml.alerts(RepoFiles.alertRules())) {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
            assertThat(PromQl.metricNames(rule.path("expr").asText())).as(alert + " names a metric").isNotEmpty();
        }
    }

    @Test
    void dashboardQueriesAreValidPromQl(@TempDir Path dir) throws IOException {
        ObjectNode root = Yaml.YAML.createObjectNode();
        ObjectNode group = root.putArray("groups").addObject().put("name", "dashboard-queries");
        ArrayNode rules = group.putArray("rules");
        List<Dashboards.Query> queries = Dashboards.queries().stream().filter(q -> !q.templateVariable()).toList();
        assertThat(queries).hasSizeGreaterThan(10);
        int i = 0;
        for (Dashboards.Query q : queries) {
            rules.addObject().put("record", "dashboard_query_" + i++)
                    .put("expr", Dashboards.substituteVariables(q.expr()));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Yaml.YAML.writeValue(file.toFile(), root);
        Promtool.Result r = Promtool.run(dir, "check", "rules", file.getFileName().toString());
        assertThat(r.exitCode()).as("dashboard queries as recording rules:\n%s\n%s", r.output(),
                Files.readString(file)).isZero();
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> s = Files.list(TESTS)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(files).isNotEmpty();
            return files;
        }
    }
}
