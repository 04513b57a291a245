package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdClusterTest {

    @RegisterExtension
    static final EtcdClusterExtension SINGLE = EtcdClusterExtension.singleNode();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void singleNodeIsHealthyAndServesPutAndGet() throws Exception {
        EtcdCluster cluster = SINGLE.cluster();
        assertThat(cluster.size()).isEqualTo(1);
        assertThat(cluster.member(0).name()).isEqualTo("etcd0");
        assertThat(cluster.endpoints()).isEqualTo(cluster.member(0).clientUrl()).startsWith("http://127.0.0.1:");
        assertThat(cluster.member(0).isHealthy()).isTrue();

        put(cluster.member(0).clientUrl(), "/dm/test/key", "hello");

        assertThat(get(cluster.member(0).clientUrl(), "/dm/test/key")).contains(b64("hello"));
    }

    @Test
    void threeMemberClusterSurvivesAKilledMemberThatThenRestartsOnItsData() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            assertThat(cluster.clientUrls()).hasSize(3).doesNotHaveDuplicates();
            assertThat(cluster.endpoints().split(",")).containsExactlyElementsOf(cluster.clientUrls());
            EtcdMember victim = cluster.member(1);
            long oldPid = victim.process().pid();

            victim.kill();

            assertThat(victim.process().isAlive()).isFalse();
            assertThat(victim.isHealthy()).isFalse();
            // Survivors may need one election if the victim led; they must get there with 2 of 3 votes.
            assertThat(eventually(() -> cluster.member(0).isHealthy() && cluster.member(2).isHealthy())).isTrue();
            put(cluster.member(0).clientUrl(), "/dm/test/while-down", "v1");

            victim.restart();

            assertThat(victim.process().pid()).isNotEqualTo(oldPid);
            assertThat(victim.isHealthy()).isTrue();
            assertThat(cluster.member(0).isHealthy()).isTrue();
            assertThat(cluster.member(2).isHealthy()).isTrue();
            // The restarted member caught up with what was written while it was down.
            assertThat(eventually(() -> get(victim.clientUrl(), "/dm/test/while-down").contains(b64("v1"))))
                    .isTrue();
        }
    }

    @Test
    void extensionRefusesAccessOutsideItsLifecycle() {
        assertThatThrownBy(() -> EtcdClusterExtension.members(3).cluster())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
        assertThatThrownBy(() -> MariaDbExtension.upstream().instance())
                .isInstanceOf(IllegalStateException.class);
    }

    private void put(String url, String key, String value) throws Exception {
        String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v3/kv/put"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String get(String url, String key) {
        String body = "{\"key\":\"" + b64(key) + "\"}";
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Polls for up to 20 s; a bound on waiting, not a timing assertion. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
