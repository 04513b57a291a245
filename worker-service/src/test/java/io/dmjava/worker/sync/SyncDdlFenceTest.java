package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.fence.Fence;
import io.dmjava.worker.fence.LeaseGuard;
import io.dmjava.worker.fence.OwnerFence;
import io.dmjava.worker.fence.OwnerTokenStore;
import io.dmjava.worker.fullmigration.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync unit's DDL under a real owner fence: DDL replicates as usual while the run owns the source, and a DDL
 * of a stale owner frozen after its checks, right before the statement, never runs after a newer owner's claim,
 * even a TRUNCATE that the new owner already replayed and wrote rows after (the split brain docs/ha.md closes).
 */
class SyncDdlFenceTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();
    private static final String TASK = "ddlfence";

    @TempDir
    Path dir;

    /** Delegates to a real fence; once armed, the next DDL stops after the fence's checks until thawed. */
    private static final class FreezingFence implements Fence {
        private final Fence real;
        private final CountDownLatch frozen = new CountDownLatch(1);
        private final CountDownLatch thaw = new CountDownLatch(1);
        private volatile boolean armed;

        FreezingFence(Fence real) {
            this.real = real;
        }

        @Override
        public void claim() throws InterruptedException {
            real.claim();
        }

        @Override
        public void enter(Connection c) throws SQLException {
            real.enter(c);
        }

        @Override
        public void ddl(Connection c, SqlWork work) throws SQLException {
            real.ddl(c, () -> {
                if (armed) {
                    armed = false;
                    frozen.countDown(); // the lock is held and the token was checked: SIGSTOP here
                    try {
                        thaw.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                work.run();
            });
        }
    }

    private static OwnerFence fence(LeaseGuard guard, JdbcConnector target, long token) {
        return new OwnerFence(guard, new OwnerTokenStore("dm_meta", TASK, "source-1"), target,
                new OwnerFence.Run(1, Duration.ofSeconds(3), token, "w" + token, TASK + "/source-1", false));
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aStaleOwnersFrozenDdlNeverRunsAfterTheNewOwnersClaim() throws Exception {
        MariaDbInstance up = UP.instance();
        TaskConfig task;
        try (Connection c = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task(TASK, "incremental", 2, 50, false, null, null), c);
        }
        JdbcConnector target = new JdbcConnector(Fixtures.db(DOWN.instance()), List.of());
        List<TableName> tables = List.of(new TableName("df", "t"));
        try (LeaseGuard guard = new LeaseGuard()) {
            guard.track(1, Duration.ofHours(1), System.nanoTime(), id -> 3600);
            OwnerFence old = fence(guard, target, 10);
            old.claim();
            FreezingFence stale = new FreezingFence(old);
            try (Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement();
                 SyncFixtures.Running sync = new SyncFixtures.Running(task, Fixtures.db(up), Fixtures.db(DOWN.instance()),
                         Fixtures.schemas("df"), dir, false, Duration.ofSeconds(30), BinlogOperatorSource.none(), stale)
                         .awaitStarted(d, TASK)) {
                // the owner's DDL replicates as before, each statement under the lock
                st.execute("CREATE DATABASE df");
                st.execute("CREATE TABLE df.t (id INT PRIMARY KEY, v VARCHAR(10))");
                st.execute("INSERT INTO df.t VALUES (1, 'a'), (2, 'b')");
                st.execute("ALTER TABLE df.t ADD COLUMN w INT");
                st.execute("INSERT INTO df.t VALUES (3, 'c', 3)");
                SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);

                stale.armed = true;
                st.execute("TRUNCATE TABLE df.t");
                assertThat(stale.frozen.await(120, TimeUnit.SECONDS)).as("the TRUNCATE reached the fence (%s)",
                        sync.failure()).isTrue();

                fence(guard, target, 20).claim(); // another worker took the source over
                assertThat(scalar(d, "SELECT token FROM dm_meta." + TASK + "_owner WHERE source = 'source-1'")).isEqualTo(20);
                // ... replayed the TRUNCATE from the checkpoint and wrote on
                try (Statement ds = d.createStatement()) {
                    ds.execute("TRUNCATE TABLE df.t");
                    ds.execute("INSERT INTO df.t VALUES (100, 'new', 100)");
                }

                stale.thaw.countDown(); // SIGCONT
                for (int i = 0; i < 2_400 && sync.isAlive(); i++) {
                    Thread.sleep(50);
                }
                assertThat(sync.isAlive()).as("the stale sync unit stopped").isFalse();
                Throwable end = sync.failure();
                assertThat(end instanceof DmException e ? e.errorCode() : null).as("how the stale unit ended: %s", end)
                        .isEqualTo(ErrorCode.WORKER_FENCED);
                assertThat(scalar(d, "SELECT COUNT(*) FROM df.t")).as("the new owner's row survived").isEqualTo(1);
                assertThat(scalar(d, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock'"))
                        .isZero();
            }
        }
    }
}
