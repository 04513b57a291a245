package io.dmjava.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.service.ApiClient;
import io.dmjava.testsupport.service.DmCluster;
import io.dmjava.testsupport.service.MasterProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Three masters, each a real JVM with its embedded etcd member, default settings. The steps build on
 * each other (forwarding, eviction, SIGKILL of the leader, restart on the same data dir, removal).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasterClusterE2ETest {
    private static final Duration START = Duration.ofSeconds(120);
    private static DmCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = DmCluster.start(3, List.of(), START);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MasterProcess follower(MasterProcess leader) {
        return cluster.masters().stream().filter(m -> m != leader && m.isAlive()).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void everyMasterAgreesOnOneLeader() {
        MasterProcess leader = cluster.awaitLeader(START, "");
        // a master registers its alive key once it is up, which on a loaded machine can follow the election
        awaitAllAlive(leader, 3);
        for (MasterProcess m : cluster.masters()) {
            JsonNode list = Json.parse(m.api().get("/api/v1/cluster/masters").body());
            assertThat(list.get("total").asInt()).isEqualTo(3);
            for (JsonNode e : list.get("data")) {
                assertThat(e.get("alive").asBoolean()).as("alive %s", e).isTrue();
                assertThat(e.get("leader").asBoolean()).isEqualTo(e.get("name").asString().equals(leader.name()));
                assertThat(e.get("addr").asString()).isEqualTo(cluster.master(e.get("name").asString()).addr());
            }
        }
    }

    @Test
    @Order(2)
    void followerForwardsRequestsAndPassesErrorsThroughUnchanged() {
        MasterProcess leader = cluster.awaitLeader(START, "");
        ApiClient viaFollower = follower(leader).api();
        ApiClient viaLeader = leader.api();

        // A POST with a JSON body whose content the leader judges: same status and body either way.
        String bad = "{\"op\":\"promote-me\",\"master_name\":\"x\"}";
        ApiClient.Response direct = viaLeader.post("/api/v1/cluster/leader", bad);
        ApiClient.Response forwarded = viaFollower.post("/api/v1/cluster/leader", bad);
        assertThat(direct.status()).isEqualTo(400);
        assertThat(forwarded.status()).isEqualTo(400);
        assertThat(forwarded.contentType()).startsWith("application/json");
        assertThat(forwarded.body()).isEqualTo(direct.body()).contains("promote-me").contains("\"error_code\":10002");

        ApiClient.Response malformed = viaFollower.post("/api/v1/cluster/leader", "{\"op\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(Json.parse(malformed.body()).get("error_code").asInt()).isEqualTo(10001);

        ApiClient.Response unknownWorker = viaFollower.delete("/api/v1/cluster/workers/no-such-worker");
        assertThat(unknownWorker.status()).isEqualTo(404);
        assertThat(unknownWorker.body()).contains("no-such-worker").contains("\"error_code\":20003");
        ApiClient.Response unknownMaster = viaFollower.delete("/api/v1/cluster/masters/no-such-master");
        assertThat(unknownMaster.status()).isEqualTo(404);
        assertThat(unknownMaster.body()).contains("\"error_code\":20001");
        ApiClient.Response cancel = viaFollower.post("/api/v1/cluster/leader", "{\"op\":\"cancel-evict\"}");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(Json.parse(cancel.body()).get("leader").asString()).isEqualTo(leader.name());

        // Served locally by every master.
        assertThat(viaFollower.get("/api/v1/dm.json").body()).contains("\"openapi\"");
        ApiClient.Response docs = viaFollower.get("/api/v1/docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("text/html");
    }

    @Test
    @Order(3)
    void evictedLeaderStepsDownUntilCancelled() {
        MasterProcess leader = cluster.awaitLeader(START, "");
        ApiClient.Response evict = follower(leader).api().post("/api/v1/cluster/leader", "{\"op\":\"evict\"}");
        assertThat(evict.status()).as(evict.body()).isEqualTo(200);
        MasterProcess next = cluster.awaitLeader(START, leader.name());
        assertThat(next.name()).isNotEqualTo(leader.name());
        assertThat(Json.parse(evict.body()).get("evicted").toString()).contains(leader.name());

        ApiClient.Response cancel = leader.api().post("/api/v1/cluster/leader",
                "{\"op\":\"cancel-evict\",\"master_name\":\"" + leader.name() + "\"}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(Json.parse(cancel.body()).get("evicted").size()).isZero();
    }

    @Test
    @Order(4)
    void killingTheLeaderElectsAnotherAndTakesItsEtcdMemberDown() {
        MasterProcess old = cluster.awaitLeader(START, "");
        long t0 = System.nanoTime();
        old.kill();
        // Done when a surviving follower (not the new leader itself) names a live new leader.
        MasterProcess next = null;
        MasterProcess via = null;
        long deadline0 = t0 + Duration.ofSeconds(60).toNanos();
        while (next == null && System.nanoTime() < deadline0) {
            for (MasterProcess m : cluster.masters()) {
                if (m == old || !m.isAlive()) {
                    continue;
                }
                var named = DmCluster.leaderAccordingTo(m);
                if (named.isPresent() && !named.get().equals(old.name()) && !named.get().equals(m.name())) {
                    next = cluster.master(named.get());
                    via = m;
                    break;
                }
            }
            sleep(20);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(next).as("a new leader named through a surviving follower within 60 s").isNotNull();
        System.out.printf("LEADER FAILOVER: SIGKILL of %s -> %s named leader through follower %s after %d ms%n",
                old.name(), next.name(), via.name(), millis);

        // Its embedded etcd member must not outlive it.
        URI etcd = URI.create(old.etcdClientUrl());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean listening = true;
        while (listening && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(etcd.getHost(), etcd.getPort()), 200);
                Thread.sleep(100);
            } catch (IOException refused) {
                listening = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(listening).as("etcd member of the killed master still listens on %s", etcd).isFalse();

        JsonNode list = Json.parse(via.api().get("/api/v1/cluster/masters").body());
        long aliveCount = 0;
        for (JsonNode e : list.get("data")) {
            if (e.get("alive").asBoolean()) {
                aliveCount++;
            }
        }
        assertThat(aliveCount).isLessThanOrEqualTo(2);
    }

    @Test
    @Order(5)
    void aKilledMasterRestartedOnItsDataDirRejoins() {
        MasterProcess dead = cluster.masters().stream().filter(m -> !m.isAlive()).findFirst().orElseThrow();
        dead.launch().awaitHealthy(START);
        awaitAllAlive(dead, 3);
        assertThat(DmCluster.leaderAccordingTo(dead)).isPresent();
    }

    @Test
    @Order(6)
    void anEtcdMemberThatDiesIsRestartedByItsMaster() throws Exception {
        MasterProcess leader = cluster.awaitLeader(START, "");
        MasterProcess m = follower(leader);
        long oldPid = Long.parseLong(Files.readString(m.etcdPidFile()).trim());
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long newPid = oldPid;
        while (System.nanoTime() < deadline) {
            String pid = Files.readString(m.etcdPidFile()).trim();
            newPid = pid.isEmpty() ? oldPid : Long.parseLong(pid);
            if (newPid != oldPid && ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false)) {
                break;
            }
            sleep(100);
        }
        assertThat(newPid).as("the supervisor started a new member").isNotEqualTo(oldPid);
        assertThat(m.isAlive()).isTrue();
        // The restarted member serves the cluster again: the master it belongs to sees everyone.
        awaitAllAlive(m, 3);
    }

    @Test
    @Order(7)
    void aStoppedMasterCanBeRemovedButNotARunningOne() {
        MasterProcess leader = cluster.awaitLeader(START, "");
        MasterProcess victim = follower(leader);
        ApiClient.Response refused = leader.api().delete("/api/v1/cluster/masters/" + victim.name());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("\"error_code\":20002");

        victim.stop();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ApiClient.Response removed = refused;
        while (System.nanoTime() < deadline) {
            removed = leader.api().delete("/api/v1/cluster/masters/" + victim.name());
            if (removed.status() != 409) {
                break;
            }
            sleep(200);
        }
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        JsonNode list = Json.parse(leader.api().get("/api/v1/cluster/masters").body());
        assertThat(list.get("total").asInt()).isEqualTo(2);
        assertThat(list.toString()).doesNotContain(victim.name());
        JsonNode endpoints = Json.parse(leader.api().get("/internal/v1/etcd/endpoints").body()).get("endpoints");
        assertThat(endpoints.size()).as("etcd members after removal: %s", endpoints).isEqualTo(2);
        assertThat(endpoints.toString()).doesNotContain(victim.etcdClientUrl());
    }

    @Test
    @Order(8)
    void aNewMasterJoinsTheRunningCluster() {
        MasterProcess joined = cluster.addMaster("master4", List.of(), START);
        awaitAllAlive(joined, 3);
        MasterProcess leader = cluster.awaitLeader(START, "");
        JsonNode endpoints = Json.parse(leader.api().get("/internal/v1/etcd/endpoints").body()).get("endpoints");
        assertThat(endpoints.toString()).contains(joined.etcdClientUrl());
        assertThat(endpoints.size()).isEqualTo(3);
    }

    private static void awaitAllAlive(MasterProcess via, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ApiClient.Response r = via.api().get("/api/v1/cluster/masters");
            last = r.body();
            if (r.status() == 200) {
                JsonNode list = Json.parse(r.body());
                boolean ok = list.get("total").asInt() == count;
                for (JsonNode e : list.get("data")) {
                    ok &= e.get("alive").asBoolean();
                }
                if (ok) {
                    return;
                }
            }
            sleep(200);
        }
        throw new AssertionError("not all " + count + " masters alive through " + via.name() + ": " + last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
