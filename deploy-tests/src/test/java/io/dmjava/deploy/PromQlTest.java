package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name finder that the metrics checks rely on. */
class PromQlTest {

    @Test
    void findsMetricsNotFunctionsLabelsKeywordsOrDurations() {
        assertThat(PromQl.metricNames("sum by (job, instance) (rate(http_server_requests_seconds_count{job=~\"dm-master.*\","
                + " uri!~\"/actuator.*|{x}\"}[$__rate_interval])) / on (job) group_left(instance) foo_total offset 5m"))
                .containsExactly("http_server_requests_seconds_count", "foo_total");
        assertThat(PromQl.metricNames("count(dm_master_worker_state{job=~\"$job\"} == 0) or vector(0)"))
                .containsExactly("dm_master_worker_state");
        assertThat(PromQl.metricNames("absent(up{job=~\"dm-master.*\"} == 1)")).containsExactly("up");
        assertThat(PromQl.metricNames("max without (instance, pod) (a) > bool 0.9 and b unless c"))
                .containsExactly("a", "b", "c");
        assertThat(PromQl.metricNames("sum(x)by(le)")).containsExactly("x");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m:1m])))"))
                .containsExactly("h_bucket");
        assertThat(PromQl.metricNames("label_replace(m, \"dst\", \"$1\", \"src\", \"(.*)\") * 1e3"))
                .containsExactly("m");
        assertThat(PromQl.metricNames("count_values(\"state\", s)\n# a comment naming not_a_metric\n+ t"))
                .containsExactly("s", "t");
        assertThat(PromQl.metricNames("ns:recorded:rate5m{a='}'}")).containsExactly("ns:recorded:rate5m");
    }

    @Test
    void readsGrafanaLabelValuesQueries() {
        assertThat(PromQl.templateQueryMetricNames("label_values(up{job=~\"dm-.*\"}, job)")).containsExactly("up");
        assertThat(PromQl.templateQueryMetricNames("label_values(job)")).isEmpty();
        assertThat(PromQl.templateQueryMetricNames("query_result(topk(5, z))")).containsExactly("z");
    }
}
