package io.dmjava.worker.subtask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.LoadTaskStore;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.unit.PipelinedUnit;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker's load-task mark against a real etcd: present while the load is unfinished, gone once it is. */
class LoadTaskMarkTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();

    private Client client;
    private LoadTaskStore store;

    /** A load that records whether the mark existed while it ran, then completes, stops or fails. */
    private final class Load implements PipelinedUnit {
        final String outcome;
        volatile boolean markedWhileRunning;

        Load(String outcome) {
            this.outcome = outcome;
        }

        @Override
        public String type() {
            return "load";
        }

        @Override
        public Object status() {
            return "load-status";
        }

        @Override
        public boolean followsPrevious() {
            return true;
        }

        @Override
        public void run(UnitContext ctx) {
            markedWhileRunning = store.all().contains(new LoadTaskStore.LoadTask("t", "source-1", "w1"));
            if (outcome.equals("fail")) {
                throw new UnitException(ErrorCode.LOAD_CHUNK_FAILED, "c1", "t", "boom");
            }
        }
    }

    @BeforeEach
    void connect() {
        client = EtcdClients.connect(ETCD.cluster().clientUrls());
        store = new LoadTaskStore(new EtcdKv(client, Duration.ofSeconds(5)));
        store.all().forEach(t -> store.deleteIfHeldBy(t.task(), t.source(), t.worker()));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private Unit marked(Unit load) {
        List<Function<UnitContext, Unit>> chain = LoadTaskMark.around(List.of(c -> load), store, "w1");
        return chain.get(0).apply(null);
    }

    private static UnitContext ctx(AtomicBoolean stop) {
        return Fixtures.ctx(Fixtures.task("t", "replace", 1, 1, "auto"), Fixtures.db("127.0.0.1", 1),
                Fixtures.db("127.0.0.1", 2), Fixtures.schemas("x"), Path.of("unused"), stop::get);
    }

    @Test
    void theMarkExistsWhileTheLoadRunsAndGoesWhenItCompletes() throws InterruptedException {
        Load load = new Load("complete");
        Unit u = marked(load);
        assertThat(u.type()).isEqualTo("load");
        assertThat(u.status()).isEqualTo("load-status");
        assertThat(((PipelinedUnit) u).followsPrevious()).isTrue();
        u.run(ctx(new AtomicBoolean()));
        assertThat(load.markedWhileRunning).isTrue();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aPausedOrFailedLoadKeepsItsMark() throws InterruptedException {
        marked(new Load("stop")).run(ctx(new AtomicBoolean(true)));
        assertThat(store.all()).containsExactly(new LoadTaskStore.LoadTask("t", "source-1", "w1"));
        assertThatThrownBy(() -> marked(new Load("fail")).run(ctx(new AtomicBoolean()))).isInstanceOf(UnitException.class);
        assertThat(store.all()).containsExactly(new LoadTaskStore.LoadTask("t", "source-1", "w1"));
    }

    @Test
    void otherUnitsAreLeftAsTheyAre() {
        Unit dump = new Unit() {
            @Override
            public String type() {
                return "dump";
            }

            @Override
            public void run(UnitContext ctx) {
            }

            @Override
            public Object status() {
                return null;
            }
        };
        assertThat(marked(dump)).isSameAs(dump);
    }
}
