package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.sync.BinlogOperatorSource;
import io.dmjava.worker.sync.SyncFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import io.dmjava.worker.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync unit reading a running relay instead of the upstream (real MariaDB, real relay files): identical
 * tables through upstream rotations and killed dump threads with no replication connection of its own; its
 * checkpoint's file survives a purge and it resumes from the relay after the upstream purged that file; it moves
 * to the upstream when the relay is disabled and back when it is enabled again.
 */
class RelaySyncTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final String SOURCE = "source-1";
    static final List<String> SETUP = List.of("CREATE DATABASE rs",
            "CREATE TABLE rs.pk (id INT PRIMARY KEY, k INT NOT NULL, c VARCHAR(200) NOT NULL)",
            "CREATE TABLE rs.nopk (a INT, b VARCHAR(30))");
    static final List<TableName> TABLES = List.of(new TableName("rs", "pk"), new TableName("rs", "nopk"));

    @TempDir
    Path dir;

    @Test
    void theSyncUnitReadsTheRelayAndMovesBetweenRelayAndUpstream() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute(SETUP.toArray(String[]::new));
        DOWN.instance().execute(SETUP.toArray(String[]::new));
        Path relayDir = dir.resolve("relay");
        RelayLogs logs = new RelayLogs();
        RelayUnit relay = startRelay(relayDir, RelayFixtures.masterStatus(up)[0], logs);
        TaskConfig task;
        try (Connection u = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task("rs", "incremental", 4, 20, false, null, null), u);
        }
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect()) {
            SyncFixtures.Running sync = startSync(task, logs, d);
            Await.until(() -> "local".equals(sync.status().binlogType()), () -> "the sync unit reads the relay: " + sync.status());
            int id = 0;
            for (int round = 0; round < 6; round++) {
                id = write(up, id, 150);
                if (round % 2 == 0) {
                    up.execute("FLUSH BINARY LOGS");
                } else {
                    DumpThreads.kill(up);
                }
            }
            id = write(up, id, 50);
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(120), sync::failure);
            assertThat(sync.status().binlogType()).isEqualTo("local");
            Await.until(() -> dumpThreads(up) == 1, "only the relay reads the upstream's binlog");
            assertThat(relay.reconnects()).as("the relay reconnected after its dump thread was killed").isPositive();
            sync.stop();

            // The stopped (paused) subtask still needs the file of its checkpoint: a purge keeps it...
            String cpFile = checkpointFile(d);
            assertThat(logs.oldestNeeded(SOURCE)).contains(cpFile);
            for (int i = 0; i < 2; i++) {
                id = write(up, id, 100);
                up.execute("FLUSH BINARY LOGS");
            }
            id = write(up, id, 50);
            RelayFixtures.awaitMeta(up, relayDir, Duration.ofSeconds(60), relay::lastError);
            String current = RelayFixtures.masterStatus(up)[0];
            RelayPurger purger = new RelayPurger(SOURCE, relayDir, () -> relay.position().map(RelayMeta::binlogName).orElse(null),
                    logs, () -> Long.MAX_VALUE);
            RelayPurger.Result purged = purger.purgeBefore(current);
            assertThat(purged.purged()).isNotEmpty().allMatch(f -> BinlogNames.ORDER.compare(f, cpFile) < 0);
            assertThat(purged.kept()).startsWith(cpFile);
            assertThat(BinlogNames.list(relayDir)).contains(cpFile);
            // ... and once the upstream purged it too, the subtask resumes from the relay alone.
            up.execute("PURGE BINARY LOGS TO '" + current + "'");
            assertThat(RelayFixtures.binaryLogs(up)).doesNotContain(cpFile);
            SyncFixtures.Running resumed = startSync(task, logs, d);
            Await.until(() -> "local".equals(resumed.status().binlogType()), () -> "resumed from the relay: " + resumed.status());
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(120), resumed::failure);

            // Relay disabled: the unit goes on from the upstream; enabled again: back to the relay.
            logs.withdraw(relay.log());
            relay.close();
            Await.until(() -> "remote".equals(resumed.status().binlogType()), () -> "back to the upstream: " + resumed.status());
            id = write(up, id, 100);
            up.execute("FLUSH BINARY LOGS");
            id = write(up, id, 100);
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(120), resumed::failure);
            RelayUnit again = startRelay(relayDir, "", logs);
            Await.until(() -> "local".equals(resumed.status().binlogType()), () -> "to the relay again: " + resumed.status());
            write(up, id, 150);
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(120), resumed::failure);
            assertThat(resumed.status().binlogType()).isEqualTo("local");
            resumed.stop();
            again.close();
            System.out.printf("relay sync test: %d rows compared, files %s purged, %s kept for the checkpoint in %s%n",
                    count(d, TABLES.get(0)) + count(d, TABLES.get(1)), purged.purged(), purged.kept(), cpFile);
        }
    }

    private RelayUnit startRelay(Path relayDir, String first, RelayLogs logs) {
        RelayOptions opts = RelayOptions.of(SOURCE, RelayFixtures.db(UP.instance()), relayDir, first, "", 4000000003L);
        RelayUnit unit = new RelayUnit(opts, logs);
        unit.start();
        logs.publish(unit.log());
        return unit;
    }

    private SyncFixtures.Running startSync(TaskConfig task, RelayLogs logs, Connection d) throws Exception {
        return new SyncFixtures.Running(task, Fixtures.db(UP.instance()), Fixtures.db(DOWN.instance()), Fixtures.schemas("rs"),
                dir.resolve("data"), false, Duration.ofMillis(300), BinlogOperatorSource.none(), logs).awaitStarted(d, "rs");
    }

    /** {@code n} row changes in transactions of 1-10 statements; returns the next free id. */
    private static int write(MariaDbInstance up, int from, int n) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            int id = from;
            for (int i = 0; i < n; i++) {
                st.execute("INSERT INTO rs.pk VALUES (" + id + ", " + (id % 7) + ", REPEAT('x', " + (id % 150) + "))");
                if (id % 5 == 0) {
                    st.execute("UPDATE rs.pk SET k = k + 1, c = CONCAT(c, 'u') WHERE id = " + (id / 2));
                }
                if (id % 9 == 0) {
                    st.execute("DELETE FROM rs.pk WHERE id = " + (id / 3));
                }
                st.execute("INSERT INTO rs.nopk VALUES (" + (id % 13) + ", 'n" + id + "')");
                id++;
                if (id % (1 + id % 10) == 0) {
                    c.commit();
                }
            }
            c.commit();
            return id;
        }
    }

    private static int dumpThreads(MariaDbInstance up) {
        try {
            return DumpThreads.ids(up).size();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkpointFile(Connection d) throws SQLException {
        try (Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT binlog_name FROM dm_meta.rs_syncer_checkpoint WHERE is_global")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
