package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import io.dmjava.testsupport.service.ServiceProcess;
import io.dmjava.testsupport.service.WorkerProcess;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real master and worker, scrapes their /actuator/prometheus, and fails when a dashboard query or
 * a rule of grafana/alerts/dm-alerts.yml names a metric neither exports: such a panel would stay empty and
 * such an alert would never fire (or, through absent(), always). The rules in dm-alerts-replication.yml
 * are exempt by design; the test reports which of their metrics exist by now.
 */
class ExportedMetricsTest {
    private static final Logger log = LoggerFactory.getLogger(ExportedMetricsTest.class);
    private static final Duration START = Duration.ofSeconds(120);
    /** Series Prometheus makes itself for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static DmCluster cluster;
    private static Set<String> exported;
    private static String masterScrape;

    @BeforeAll
    static void scrapeARealCluster() {
        cluster = DmCluster.start(1, List.of(), START);
        MasterProcess master = cluster.masters().get(0);
        WorkerProcess worker = cluster.startWorker("worker1", List.of(), START);
        // some API traffic (a success and a 404) so the HTTP server metrics exist
        assertThat(master.api().get("/api/v1/cluster/workers").status()).isEqualTo(200);
        assertThat(master.api().get("/api/v1/no-such-route").status()).isEqualTo(404);
        assertThat(worker.api().get("/actuator/health").status()).isEqualTo(200);
        // the leader's scheduler exports dm_master_worker_state once it has seen the worker
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            masterScrape = scrape(master);
        } while (!masterScrape.contains("dm_master_worker_state{") && System.nanoTime() < deadline && pause());
        assertThat(masterScrape).as("the leader exports the worker's state").contains("dm_master_worker_state{");
        exported = new TreeSet<>(MetricsExposition.names(masterScrape));
        exported.addAll(MetricsExposition.names(scrape(worker)));
        log.info("exported metric names ({}): {}", exported.size(), exported);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theScrapeHasWhatTheDocsPromise() {
        assertThat(exported).contains("dm_master_worker_state", "dm_master_start_leader_counter",
                "http_server_requests_seconds_count", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum",
                "process_start_time_seconds", "logback_events_total");
        assertThat(masterScrape).contains("application=\"dm-master\"");
        assertThat(MetricsExposition.names("# TYPE a_seconds summary\na_seconds_count{x=\"{\"} 1\nb 2\n"))
                .contains("a_seconds_count", "a_seconds_sum", "b");
    }

    @Test
    void everyDashboardQueryNamesExportedMetrics() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Dashboards.Query q : Dashboards.queries()) {
            Set<String> names = q.templateVariable() ? PromQl.templateQueryMetricNames(q.expr()) : PromQl.metricNames(q.expr());
            assertThat(names).as("%s names no metric: %s", q.where(), q.expr()).isNotEmpty();
            Set<String> missing = missing(names);
            if (!missing.isEmpty()) {
                unknown.put(q.where() + ": " + q.expr(), missing);
            }
        }
        assertThat(unknown).as("dashboard queries naming metrics the services do not export").isEmpty();
    }

    @Test
    void everyClusterAlertRuleNamesExportedMetrics() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (JsonNode rule : Yaml.alerts(RepoFiles.alertRules())) {
            Set<String> missing = missing(PromQl.metricNames(rule.path("expr").asText()));
            if (!missing.isEmpty()) {
                unknown.put(rule.path("alert").asText(), missing);
            }
        }
        assertThat(unknown).as("rules of dm-alerts.yml naming metrics the services do not export "
                + "(rules waiting for metrics belong in dm-alerts-replication.yml)").isEmpty();
    }

    @Test
    void reportWhichReplicationRulesCanMoveOver() {
        for (JsonNode rule : Yaml.alerts(RepoFiles.replicationAlertRules())) {
            Set<String> names = PromQl.metricNames(rule.path("expr").asText());
            assertThat(names).as(rule.path("alert").asText()).allMatch(n -> n.startsWith("dm_"));
            if (missing(names).isEmpty()) {
                log.warn("{} in dm-alerts-replication.yml only uses exported metrics now ({}): check its labels "
                        + "and move it to dm-alerts.yml", rule.path("alert").asText(), names);
            }
        }
    }

    private static Set<String> missing(Set<String> names) {
        Set<String> out = new TreeSet<>(Comparator.naturalOrder());
        for (String n : names) {
            if (!exported.contains(n) && !SYNTHETIC.contains(n)) {
                out.add(n + MetricsExposition.hint(n, exported));
            }
        }
        return out;
    }

    private static String scrape(ServiceProcess p) {
        ApiClient.Response r = p.api().get("/actuator/prometheus");
        assertThat(r.status()).as("%s /actuator/prometheus", p.label()).isEqualTo(200);
        return r.body();
    }

    private static boolean pause() {
        try {
            Thread.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
