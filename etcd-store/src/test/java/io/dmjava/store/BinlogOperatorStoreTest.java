package io.dmjava.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Binlog operators against a real single-node etcd. */
class BinlogOperatorStoreTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private Client client;
    private BinlogOperatorStore store;

    @BeforeEach
    void connect() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        EtcdKv kv = new EtcdKv(client, Duration.ofSeconds(5));
        store = new BinlogOperatorStore(kv, new JsonCodec());
        kv.txn().deletePrefix("/dm/binlog-operator/").commit();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aNewOperatorReplacesTheOneAtTheSamePositionAndRemovingTheLastDeletesTheKey() {
        store.put("t 1", "s/1", new BinlogOperator("skip", "mysql-bin.000003:400", null));
        store.put("t 1", "s/1", new BinlogOperator("skip", "mysql-bin.000003:900", null));
        store.put("t 1", "s/1", new BinlogOperator("replace", "mysql-bin.000003:400", List.of("ALTER TABLE a ADD c INT")));
        assertThat(store.list("t 1", "s/1")).extracting(BinlogOperator::binlogPos, BinlogOperator::op)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mysql-bin.000003:900", "skip"),
                        org.assertj.core.groups.Tuple.tuple("mysql-bin.000003:400", "replace"));
        assertThat(store.list("t 1", "s/1").get(1).sqls()).containsExactly("ALTER TABLE a ADD c INT");
        assertThat(store.list("t 1", "other")).isEmpty();

        assertThat(store.remove("t 1", "s/1", new BinlogOperator.Position("mysql-bin.000003", 400))).isPresent();
        assertThat(store.remove("t 1", "s/1", new BinlogOperator.Position("mysql-bin.000003", 400))).isEmpty();
        assertThat(store.remove("t 1", "s/1", new BinlogOperator.Position("mysql-bin.000003", 900))).isPresent();
        assertThat(store.list("t 1", "s/1")).isEmpty();
    }

    @Test
    void concurrentWritersLoseNoOperator() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                futures.add(pool.submit(() -> store.put("t", "s", new BinlogOperator("skip", "bin.000001:" + (100 + n), null))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("t", "s")).hasSize(20);
    }
}
