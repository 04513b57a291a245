package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections killed by the server in the middle of a chunk: the chunk is retried on a new connection (for
 * the dump, a new snapshot whose position the chunk records), and the data still arrives exact. Also: a dump
 * stopped half-way starts over on its next run.
 */
class LostConnectionTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final TableName T = new TableName("lost", "t");
    static final SqlRetry FAST_RETRY = new SqlRetry(5, Duration.ofMillis(100));

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        UP.instance().execute("CREATE DATABASE lost",
                "CREATE TABLE lost.t (id INT PRIMARY KEY, c CHAR(200) NOT NULL, k INT NOT NULL, KEY (k))",
                "INSERT INTO lost.t SELECT seq, REPEAT(MD5(seq), 6), seq * 31 % 1000 FROM mysql.seq_1_to_200000");
    }

    @Test
    void killedConnectionsAreRetriedAndTheDataIsExact() throws Exception {
        Path dir = tmp.resolve("kill");
        UnitContext ctx = Fixtures.ctx(Fixtures.task("lost", "error", 2, 2, "auto"), Fixtures.db(UP.instance()),
                Fixtures.db(DOWN.instance()), Fixtures.schemas("lost"), dir, () -> false);

        AtomicBoolean killedDump = new AtomicBoolean();
        CompletableFuture<Void> dumpKiller = CompletableFuture.runAsync(
                () -> killedDump.set(killFirst(UP.instance(), "SELECT %FORCE INDEX%")));
        DumpUnit dump = new DumpUnit(o -> o.withChunkRows(20_000), FAST_RETRY);
        dump.run(ctx);
        dumpKiller.get(30, TimeUnit.SECONDS);
        DumpMetadata m = DumpMetadata.read(dir).orElseThrow();
        assertThat(m.totalRows()).isEqualTo(200_000);
        assertThat(dump.status().finishedRows()).as("a re-read chunk counts once").isEqualTo(200_000);
        if (killedDump.get()) {
            // The re-read chunk came from a later snapshot, so the positions are no longer all the same.
            assertThat(m.positionExact()).isFalse();
        }

        long loadsBefore = comLoad();
        AtomicBoolean killedLoad = new AtomicBoolean();
        CompletableFuture<Void> loadKiller = CompletableFuture.runAsync(
                () -> killedLoad.set(killFirst(DOWN.instance(), "LOAD DATA%")));
        new LoadUnit(o -> o.withUploadStall(Duration.ofSeconds(2)), FAST_RETRY).run(ctx);
        loadKiller.get(30, TimeUnit.SECONDS);
        int chunks = m.tables().get(0).chunks().size();
        System.out.printf("killed a dump connection: %s, a load connection: %s; LOAD DATA statements: %d for %d chunks%n",
                killedDump.get(), killedLoad.get(), comLoad() - loadsBefore, chunks);
        assertThat(killedDump.get() || killedLoad.get()).as("at least one connection was killed mid-chunk").isTrue();
        if (killedLoad.get()) {
            assertThat(comLoad() - loadsBefore).isGreaterThan(chunks);
        }
        try (Connection u = UP.instance().connect(); Connection d = DOWN.instance().connect()) {
            assertThat(TableComparator.checksum(d, T)).isEqualTo(TableComparator.checksum(u, T));
            assertThat(RoutingAndModesTest.count(d, "SELECT COUNT(*) FROM lost.t")).isEqualTo(200_000);
        }
    }

    @Test
    void aStoppedDumpStartsOverFromANewSnapshot() throws Exception {
        Path dir = tmp.resolve("stop");
        DumpUnit first = new DumpUnit(o -> o.withChunkRows(10_000), FAST_RETRY);
        UnitContext stopping = Fixtures.ctx(Fixtures.task("stop", "replace", 2, 2, "auto"), Fixtures.db(UP.instance()),
                Fixtures.db(DOWN.instance()), Fixtures.schemas("lost"), dir, () -> first.status().finishedRows() > 30_000);
        first.run(stopping);
        assertThat(DumpMetadata.read(dir)).isEmpty();
        UnitContext ctx = Fixtures.ctx(Fixtures.task("stop", "replace", 2, 2, "auto"), Fixtures.db(UP.instance()),
                Fixtures.db(DOWN.instance()), Fixtures.schemas("lost"), dir, () -> false);
        DumpUnit second = new DumpUnit(o -> o.withChunkRows(10_000), FAST_RETRY);
        second.run(ctx);
        assertThat(DumpMetadata.read(dir).orElseThrow().totalRows()).isEqualTo(200_000);
        assertThat(second.status().progress()).isEqualTo("100.00 %");
    }

    /** Kills the first connection seen running a statement LIKE {@code pattern}; false if none showed up. */
    private static boolean killFirst(MariaDbInstance db, String pattern) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '"
                        + pattern + "' AND INFO NOT LIKE '%PROCESSLIST%' AND TIME_MS > 20 LIMIT 1")) {
                    if (rs.next()) {
                        st.execute("KILL CONNECTION " + rs.getLong(1));
                        return true;
                    }
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return false;
    }

    private long comLoad() throws Exception {
        try (Connection d = DOWN.instance().connect(); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_load'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
