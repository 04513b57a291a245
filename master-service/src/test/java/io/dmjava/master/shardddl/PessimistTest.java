package io.dmjava.master.shardddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.master.task.TaskService;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.TaskStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pessimist against a real etcd, the test playing the workers: it puts infos, waits for the operations that
 * answer them, and marks them done the way a worker's sync unit does.
 */
class PessimistTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private static final TableName TARGET = new TableName("db", "tbl");
    private static final List<String> DDL = List.of("ALTER TABLE `db`.`tbl` ADD COLUMN c INT");
    private static final List<String> NEXT = List.of("ALTER TABLE `db`.`tbl` ADD COLUMN d INT");

    private final JsonCodec codec = new JsonCodec();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Client client;
    private EtcdKv kv;
    private PessimismInfoStore infos;
    private PessimismOperationStore ops;
    private Pessimist pessimist;

    @BeforeEach
    void start() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        kv = new EtcdKv(client, Duration.ofSeconds(5));
        kv.txn().deletePrefix("/dm/").commit();
        infos = new PessimismInfoStore(kv, codec);
        ops = new PessimismOperationStore(kv, codec);
        task("t", "s1", "s2", "s3");
        pessimist = newPessimist();
        pessimist.onElected();
    }

    @AfterEach
    void stop() {
        pessimist.onRevoked();
        client.close();
    }

    private Pessimist newPessimist() {
        return new Pessimist(kv, infos, ops, new SubTaskStore(kv, codec), new TaskStore(kv, codec), meters,
                Duration.ofSeconds(1));
    }

    private void task(String name, String... sources) {
        TaskConfig t = new TaskConfig(name, "all", "pessimistic", null, null, null, null, null, null, null, null);
        kv.put(EtcdKeys.TASK_CONFIG.key(name), codec.encode(t));
        for (String s : sources) {
            // The pessimist reads a task's sources from its subtask config keys only.
            kv.put(EtcdKeys.SUBTASK_CONFIG.key(s, name), "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private PessimismInfo arrive(String source, List<String> ddls) {
        PessimismInfo i = new PessimismInfo("t", source, TARGET, ddls, "mysql-bin.000001:" + System.nanoTime());
        infos.put(i);
        return i;
    }

    private Optional<PessimismOperationStore.Stored> op(String source) {
        return ops.get("t", source);
    }

    /** Waits, as the worker does, for the operation answering its info. */
    private PessimismOperationStore.Stored answer(PessimismInfo info) throws InterruptedException {
        await(() -> op(info.source()).filter(o -> o.op().answers(info)).isPresent(), info.source() + " is answered");
        return op(info.source()).orElseThrow();
    }

    private double gauge(String type) {
        Gauge g = meters.find("dm_master_ddl_state_number").tag("task", "t").tag("type", type).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void theOwnerRunsOnceAllArrivedThenTheOthersSkipThenTheLockGoesSparingANewerInfo() throws InterruptedException {
        await(() -> gauge("Un-synced") == 0 && gauge("Synced") == 0, "a pessimistic task is exported without a lock");
        PessimismInfo i1 = arrive("s1", DDL);
        PessimismInfo i2 = arrive("s2", DDL);
        await(() -> gauge("Un-synced") == 1, "one lock waits for s3");
        assertThat(op("s1")).as("no operation while s3 has not arrived").isEmpty();
        assertThat(gauge("Synced")).isZero();

        PessimismInfo i3 = arrive("s3", DDL);
        PessimismOperationStore.Stored exec = answer(i1);
        assertThat(exec.op().exec()).as("s1 arrived first: it owns the lock").isTrue();
        await(() -> gauge("Synced") == 1 && gauge("Un-synced") == 0, "the lock is synced");
        assertThat(op("s2")).as("the others wait until the owner is done").isEmpty();
        assertThat(op("s3")).isEmpty();

        assertThat(ops.markDone(exec)).isTrue();
        PessimismOperationStore.Stored skip2 = answer(i2);
        PessimismOperationStore.Stored skip3 = answer(i3);
        assertThat(skip2.op().exec()).isFalse();
        assertThat(skip3.op().exec()).isFalse();

        // s1 is past the DDL and already waits at its next one: the cleanup must leave that info alone.
        PessimismInfo next = arrive("s1", NEXT);
        assertThat(ops.markDone(skip2)).isTrue();
        assertThat(ops.markDone(skip3)).isTrue();
        await(() -> infos.get("t", "s2").isEmpty() && infos.get("t", "s3").isEmpty(), "the finished lock's infos go");
        await(() -> op("s2").isEmpty() && op("s3").isEmpty(), "and its operations");
        assertThat(infos.get("t", "s1")).contains(next);
        await(() -> gauge("Un-synced") == 1 && gauge("Synced") == 0, "s1's next DDL is a new lock waiting for s2, s3");
        assertThat(op("s1")).as("the old lock's operation of s1 went with it").isEmpty();
    }

    @Test
    void aSourceWithOtherStatementsGetsAConflictThatGoesWhenItsInfoMatches() throws InterruptedException {
        arrive("s1", DDL);
        PessimismInfo bad = arrive("s2", NEXT);
        PessimismOperation conflict = answer(bad).op();
        assertThat(conflict.exec()).isFalse();
        assertThat(conflict.conflict()).contains("'s2'", "'s1'", "ADD COLUMN d", "ADD COLUMN c", "binlog replace");

        arrive("s2", DDL);   // replaced and resumed
        await(() -> op("s2").isEmpty(), "the conflict operation goes");
        arrive("s3", DDL);
        await(() -> op("s1").filter(o -> o.op().exec()).isPresent(), "then the lock proceeds");
        assertThat(op("s3")).isEmpty();
    }

    @Test
    void aNewLeaderContinuesALockWhereTheLastOneLeftIt() throws InterruptedException {
        PessimismInfo i1 = arrive("s1", DDL);
        PessimismInfo i2 = arrive("s2", DDL);
        PessimismInfo i3 = arrive("s3", DDL);
        PessimismOperationStore.Stored exec = answer(i1);
        pessimist.onRevoked();
        assertThat(meters.find("dm_master_ddl_state_number").gauges()).as("a follower exports no lock").isEmpty();

        assertThat(ops.markDone(exec)).isTrue();   // done while no master leads
        pessimist = newPessimist();
        pessimist.onElected();
        assertThat(ops.markDone(answer(i2))).isTrue();
        assertThat(ops.markDone(answer(i3))).isTrue();
        await(() -> infos.snapshot().entries().isEmpty() && ops.allAt(0).isEmpty(), "the lock is removed");
        assertThat(exec.op().source()).isEqualTo("s1");
    }

    @Test
    void aSourceLeavingTheTaskUnblocksTheLock() throws InterruptedException {
        PessimismInfo i1 = arrive("s1", DDL);
        arrive("s2", DDL);
        await(() -> gauge("Un-synced") == 1, "the lock waits for s3");
        kv.delete(EtcdKeys.SUBTASK_CONFIG.key("s3", "t"));   // the task no longer has s3
        assertThat(answer(i1).op().exec()).isTrue();
        await(() -> gauge("Synced") == 1, "the lock is synced without s3");
    }

    @Test
    void aDeletedTasksSeriesGo() throws InterruptedException {
        await(() -> gauge("Un-synced") == 0, "exported");
        kv.txn().delete(EtcdKeys.TASK_CONFIG.key("t")).deletePrefix(EtcdKeys.SUBTASK_CONFIG.rangePrefix()).commit();
        await(() -> Double.isNaN(gauge("Un-synced")) && Double.isNaN(gauge("Synced")), "the task's series go");
    }

    @Test
    void deletingATaskDeletesItsInfosAndOperations() {
        pessimist.onRevoked();   // only the task deletion acts here
        arrive("s1", DDL);
        PessimismInfo other = new PessimismInfo("t2", "s1", TARGET, DDL, "mysql-bin.000001:4");
        infos.put(other);
        kv.put(ops.key("t", "s1"), ops.encode(new PessimismOperation(PessimismInfo.lockId("t", TARGET), "t", "s1", DDL,
                true, false, null)));
        new TaskService(new TaskStore(kv, codec), new SubTaskStore(kv, codec), new SourceStore(kv, codec), null, null, kv)
                .delete("t");
        assertThat(infos.get("t", "s1")).isEmpty();
        assertThat(op("s1")).isEmpty();
        assertThat(infos.get("t2", "s1")).as("another task's info stays").contains(other);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
