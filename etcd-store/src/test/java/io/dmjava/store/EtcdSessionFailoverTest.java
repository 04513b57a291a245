package io.dmjava.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session outlives the death of the etcd member its keepalive stream went through (found by ChaosE2ETest: every
 * SIGKILL of a master, whose etcd member dies with it, made the workers and masters using that member drop their
 * sessions and restart their subtasks or step down as leader, although the lease was alive on the other members).
 * Real 3-member etcd; each member but the raft leader in turn is SIGKILLed and restarted. (The raft leader's death
 * stops every keepalive until a new one is elected; when that takes longer than the TTL, losing the session is
 * right: the holder cannot know the lease is alive.)
 */
class EtcdSessionFailoverTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(3);

    @Test
    void aSessionSurvivesTheDeathOfAFollowerMember() throws Exception {
        Duration ttl = Duration.ofSeconds(3);
        try (Client client = EtcdClients.connect(ETCD.cluster().clientUrls())) {
            EtcdKv kv = new EtcdKv(client, Duration.ofSeconds(5));
            AtomicInteger lost = new AtomicInteger();
            try (EtcdSession s = EtcdSession.open(kv, ttl, "failover", lost::incrementAndGet)) {
                kv.put("/test/session-failover", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8), s.leaseId());
                int killed = 0;
                for (int i = 0; i < ETCD.cluster().size(); i++) {
                    if (isRaftLeader(ETCD.cluster().member(i).clientUrl())) {
                        continue;
                    }
                    killed++;
                    ETCD.cluster().member(i).kill(); // the member the stream uses, or not: it must not matter
                    Thread.sleep(ttl.toMillis() * 2);
                    assertThat(s.isLost()).as("session lost after SIGKILL of member %d", i).isFalse();
                    ETCD.cluster().member(i).restart();
                }
                assertThat(killed).isEqualTo(ETCD.cluster().size() - 1);
                assertThat(lost.get()).isZero();
                assertThat(kv.get("/test/session-failover")).as("the key under the lease").isPresent();
            }
        }
    }

    private static boolean isRaftLeader(String clientUrl) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().anyMatch(l -> l.equals("etcd_server_is_leader 1"));
    }
}
