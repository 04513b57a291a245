package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real master and worker running a small {@code all} task (MariaDB upstream and downstream), scrapes
 * their /actuator/prometheus once the task replicates, and fails when a dashboard query or a rule of
 * grafana/alerts/dm-alerts.yml names a metric neither exports: such a panel would stay empty and such an
 * alert would never fire (or, through absent(), always). The task makes the task-level series exist (stage,
 * dump/load progress, unit error counters, dm_syncer_*), and, being in pessimistic shard mode, the leader's
 * dm_master_ddl_state_number (at 0: it has no shard DDL lock).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportedMetricsTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Logger log = LoggerFactory.getLogger(ExportedMetricsTest.class);
    private static final Duration START = Duration.ofSeconds(120);
    /** Series Prometheus makes itself for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static DmCluster cluster;
    private static MasterProcess master;
    private static WorkerProcess worker;
    private static Set<String> exported;
    private static String masterScrape;
    private static String workerScrape;
    private static final int ROWS = 3000;

    @BeforeAll
    static void scrapeARealCluster() {
        cluster = DmCluster.start(1, List.of(), START);
        master = cluster.masters().get(0);
        worker = cluster.startWorker("worker1", List.of(), START);
        // some API traffic (a success and a 404) so the HTTP server metrics exist
        assertThat(master.api().get("/api/v1/cluster/workers").status()).isEqualTo(200);
        assertThat(master.api().get("/api/v1/no-such-route").status()).isEqualTo(404);
        assertThat(worker.api().get("/actuator/health").status()).isEqualTo(200);
        // the leader's scheduler exports dm_master_worker_state once it has seen the worker
        scrapeUntil(master, "dm_master_worker_state", text -> text.contains("dm_master_worker_state{"));
        long t0 = System.nanoTime();
        runAnAllTask(master.api());
        log.info("task t1 (mode all) reached its sync unit {} ms after its source was created", (System.nanoTime() - t0) / 1_000_000);
        // the sync unit's series exist while it runs; a transaction after the load makes TPS non-zero
        UP.instance().execute("INSERT INTO shop.items VALUES (" + (ROWS + 1) + ", 'after the load')");
        workerScrape = scrapeUntil(worker, "a committed sync transaction",
                text -> value(text, "dm_syncer_finished_transaction_total", "source_id=\"s1\",task=\"t1\"") >= 1);
        // with the task's API requests, and its shard-DDL lock states (the leader exports them within a round)
        masterScrape = scrapeUntil(master, "dm_master_ddl_state_number of t1",
                text -> text.contains("dm_master_ddl_state_number{") && text.contains("task=\"t1\""));
        exported = new TreeSet<>(MetricsExposition.names(masterScrape));
        exported.addAll(MetricsExposition.names(workerScrape));
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
    void theLeaderExportsShardDdlLockStatesOfAPessimisticTask() {
        for (String type : List.of("Un-synced", "Synced")) {
            assertThat(value(masterScrape, "dm_master_ddl_state_number", "task=\"t1\",type=\"" + type + "\""))
                    .as("t1 has no shard DDL lock in state %s", type).isZero();
        }
    }

    @Test
    void theTaskSeriesCarryDmLabelsAndValues() {
        String t = "source_id=\"s1\",task=\"t1\"";
        assertThat(value("dm_worker_task_state", t + ",worker=\"worker1\"")).as("DM's Running").isEqualTo(2);
        assertThat(value("dm_loader_progress", t)).isEqualTo(1);
        assertThat(value("dm_loader_finished_rows", t)).isEqualTo(ROWS).isEqualTo(value("dumpling_dump_finished_rows", t));
        assertThat(value("dm_loader_finished_bytes", t)).isPositive().isEqualTo(value("dm_loader_data_size_gauge", t))
                .isEqualTo(value("dumpling_dump_finished_size", t));
        assertThat(value("dm_dumpling_finished_chunks", t)).isPositive().isEqualTo(value("dm_dumpling_total_chunks", t))
                .isEqualTo(value("dm_loader_finished_chunks", t)).isEqualTo(value("dm_loader_data_file_gauge", t));
        for (String errors : List.of("dm_dumpling", "dm_loader", "dm_syncer")) {
            assertThat(value(errors + "_exit_with_error_count_total", t)).as(errors).isZero();
        }
        assertThat(value("dm_syncer_replication_lag", t)).isNotNegative();
    }

    /** Last: pauses, stops and deletes the task the other tests scraped. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theTaskSeriesFollowPauseStopAndDelete() {
        String t = "source_id=\"s1\",task=\"t1\"";
        String state = "dm_worker_task_state";
        ApiClient api = master.api();
        assertThat(api.post("/api/v1/tasks/t1/pause", "{}").status()).isEqualTo(200);
        String paused = scrapeUntil(worker, "t1 Paused", text -> value(text, state, t) == 3);
        assertThat(value(paused, "dm_syncer_replication_lag", t)).as("the sync unit's gauges go with it").isNaN();
        assertThat(value(paused, "dm_loader_progress", t)).as("the load's progress stays").isEqualTo(1);
        assertThat(api.post("/api/v1/tasks/t1/stop", "{}").status()).isEqualTo(200);
        scrapeUntil(worker, "t1 Stopped", text -> value(text, state, t) == 4);
        ApiClient.Response deleted = api.delete("/api/v1/tasks/t1?force=true");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        String gone = scrapeUntil(worker, "no t1 series", text -> !text.contains("task=\"t1\""));
        assertThat(value(gone, "dm_loader_exit_with_error_count_total", t)).isNaN();
        scrapeUntil(master, "no t1 lock states", text -> !text.contains("task=\"t1\",type="));
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
        assertThat(unknown).as("rules of dm-alerts.yml naming metrics the services do not export").isEmpty();
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

    /**
     * Source s1 on the upstream, task t1 in mode all and pessimistic shard mode (one table of {@link #ROWS} rows) started
     * through the REST API; returns once its sync unit runs.
     */
    private static void runAnAllTask(ApiClient api) {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(32))",
                "INSERT INTO shop.items SELECT seq, CONCAT('item ', seq) FROM mysql.seq_1_to_" + ROWS);
        ApiClient.Response source = api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"s1\",\"host\":\"127.0.0.1\","
                + "\"port\":" + up.port() + ",\"user\":\"root\",\"password\":\"\"}}");
        assertThat(source.status()).as(source.body()).isEqualTo(201);
        await(api, "/api/v1/sources/s1/status", "s1 bound to the worker",
                st -> !st.path("data").path(0).path("worker_name").asText().isEmpty());
        String task = "{\"task\":{\"name\":\"t1\",\"task_mode\":\"all\",\"shard_mode\":\"pessimistic\",\"meta_schema\":\"dm_meta\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + DOWN.instance().port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":[{\"source\":{\"source_name\":\"s1\",\"schema\":\"shop\",\"table\":\"items\"}}],"
                + "\"source_config\":{\"full_migrate_conf\":{\"export_threads\":2,\"import_threads\":2},"
                + "\"source_conf\":[{\"source_name\":\"s1\"}]}}}";
        ApiClient.Response created = api.post("/api/v1/tasks", task);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Response started = api.post("/api/v1/tasks/t1/start", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        await(api, "/api/v1/tasks/t1/status", "the sync unit running", st -> {
            JsonNode s = st.path("data").path(0);
            assertThat(s.path("error_msg").asText("")).as("t1 error").isEmpty();
            return s.path("stage").asText().equals("Running") && s.path("unit").asText().equals("sync") && s.has("sync_status");
        });
    }

    private static void await(ApiClient api, String path, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline && pause()) {
            ApiClient.Response r = api.get(path);
            last = r.status() + " " + r.body();
            if (r.status() == 200 && condition.test(Yaml.parseJson(r.body()))) {
                return;
            }
        }
        throw new AssertionError("no " + what + " within 60 s; last " + path + ": " + last);
    }

    /** Scrapes until {@code condition} holds (at most 30 s), and checks it does. */
    private static String scrapeUntil(ServiceProcess p, String what, Predicate<String> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text;
        do {
            text = scrape(p);
        } while (!condition.test(text) && System.nanoTime() < deadline && pause());
        assertThat(condition.test(text)).as("%s exports %s:\n%s", p.label(), what, text).isTrue();
        return text;
    }

    private static double value(String metric, String labels) {
        double v = value(workerScrape, metric, labels);
        assertThat(v).as("%s{%s} in the worker's scrape", metric, labels).isNotNaN();
        return v;
    }

    /** The value of the sample whose labels include {@code labels} (sorted, as exported); NaN when there is none. */
    private static double value(String exposition, String metric, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*} (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
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
