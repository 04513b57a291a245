package io.dmjava.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load-task marks against a real single-node etcd. */
class LoadTaskStoreTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private Client client;
    private EtcdKv kv;
    private LoadTaskStore store;

    @BeforeEach
    void connect() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        kv = new EtcdKv(client, Duration.ofSeconds(5));
        store = new LoadTaskStore(kv);
        kv.txn().deletePrefix("/dm/load-task/").commit();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void marksAreListedBySourceWithNamesThatNeedEncoding() {
        store.put("task/a", "src 1", "w1");
        store.put("task-b", "src 1", "w2");
        store.put("task-b", "src2", "w1");
        assertThat(store.all()).containsExactlyInAnyOrder(new LoadTaskStore.LoadTask("task/a", "src 1", "w1"),
                new LoadTaskStore.LoadTask("task-b", "src 1", "w2"), new LoadTaskStore.LoadTask("task-b", "src2", "w1"));
        assertThat(store.holdersBySource()).isEqualTo(Map.of("src 1", Set.of("w1", "w2"), "src2", Set.of("w1")));
    }

    @Test
    void aFinishingWorkerDeletesOnlyItsOwnMark() {
        store.put("t", "s", "w1");
        store.put("t", "s", "w2");
        assertThat(store.deleteIfHeldBy("t", "s", "w1")).isFalse();
        assertThat(store.all()).containsExactly(new LoadTaskStore.LoadTask("t", "s", "w2"));
        assertThat(store.deleteIfHeldBy("t", "s", "w2")).isTrue();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aDeletedTaskTakesAllItsMarksAndNoOtherTasks() {
        store.put("t", "s1", "w1");
        store.put("t", "s2", "w2");
        store.put("t2", "s1", "w3");
        kv.txn().deletePrefix(store.taskPrefix("t")).commit();
        assertThat(store.all()).containsExactly(new LoadTaskStore.LoadTask("t2", "s1", "w3"));
        kv.txn().delete(store.key("t2", "s1")).commit();
        assertThat(store.all()).isEmpty();
    }
}
