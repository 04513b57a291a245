package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secondary indexes are added after the data: every table ends with exactly its upstream definition (SHOW
 * CREATE TABLE without AUTO_INCREMENT), whatever its keys, also when the load stops between its chunks and
 * its indexes, and when {@code remove_meta} drops the task's meta tables in between; a table that existed
 * downstream before the task keeps its own definition.
 */
class DeferredIndexTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    /** One table, so that its index build is the only one and comes after the last chunk of a run. */
    private static final TableRouter MANY_ONLY = Fixtures.router((s, t) -> s.equals("idx") && t.equals("many")
            ? Optional.of(new TableName(s, t)) : Optional.empty(), s -> s.equals("idx"));

    @TempDir
    Path tmp;

    @BeforeAll
    static void upstream() {
        UP.instance().execute("CREATE DATABASE idx",
                "CREATE TABLE idx.many (id INT AUTO_INCREMENT PRIMARY KEY, k INT, c VARCHAR(100), t TEXT, p POINT NOT NULL,"
                        + " u INT NOT NULL, KEY k (k), UNIQUE KEY u (u), KEY `we``ird` (c) COMMENT 'a, b',"
                        + " FULLTEXT KEY ft (t), KEY kc (k, c(10)) USING BTREE, SPATIAL KEY sp (p), KEY kd (k DESC))"
                        + " COMMENT 'many''s \\\\ note'",
                "INSERT INTO idx.many (k, c, t, p, u) SELECT seq % 1000, MD5(seq), CONCAT('word', seq % 77, ' text'),"
                        + " POINT(seq % 100, seq / 100), seq FROM mysql.seq_1_to_30000",
                "CREATE TABLE idx.autoinc (a INT PRIMARY KEY, id INT NOT NULL AUTO_INCREMENT, b INT, KEY b1 (b),"
                        + " KEY ai (id), KEY b2 (b, a))",
                "INSERT INTO idx.autoinc (a, b) SELECT seq, seq % 10 FROM mysql.seq_1_to_5000",
                "CREATE TABLE idx.parent (id INT PRIMARY KEY, v INT, KEY v (v))",
                "INSERT INTO idx.parent SELECT seq, seq FROM mysql.seq_1_to_100",
                "CREATE TABLE idx.child (id INT PRIMARY KEY, p INT, w INT, KEY w (w),"
                        + " CONSTRAINT fk FOREIGN KEY (p) REFERENCES idx.parent (id))",
                "INSERT INTO idx.child SELECT seq, seq % 100 + 1, seq FROM mysql.seq_1_to_3000",
                "CREATE TABLE idx.precreated (id INT PRIMARY KEY, k INT, KEY k (k))",
                "INSERT INTO idx.precreated SELECT seq, seq FROM mysql.seq_1_to_1000",
                "ANALYZE TABLE idx.many, idx.autoinc, idx.child");
    }

    @BeforeEach
    void downstream() {
        DOWN.instance().execute("DROP DATABASE IF EXISTS idx", "DROP DATABASE IF EXISTS dm_meta", "CREATE DATABASE idx",
                "CREATE TABLE idx.precreated (id INT PRIMARY KEY, k INT)");
    }

    @Test
    void everyTableEndsWithItsUpstreamDefinitionAndAPrecreatedOneKeepsItsOwn() throws Exception {
        UnitContext ctx = ctx("idx", tmp.resolve("all"), () -> false, Fixtures.schemas("idx"));
        new DumpUnit(o -> o.withChunkRows(2000), SqlRetry.DEFAULT).run(ctx);
        new LoadUnit().run(ctx);
        assertExact(List.of("many", "autoinc", "parent", "child"));
        try (Connection d = DOWN.instance().connect()) {
            assertThat(indexes(d, "precreated")).containsExactly("PRIMARY");
        }
    }

    @Test
    void aLoadStoppedBetweenItsChunksAndItsIndexesAddsThemWhenResumed() throws Exception {
        Path dir = tmp.resolve("stop");
        loadEveryChunkButNoIndex("stopidx", dir);
        new LoadUnit().run(ctx("stopidx", dir, () -> false, MANY_ONLY));
        assertExact(List.of("many"));
    }

    @Test
    void aTableLoadedButStillWithoutItsIndexesWhenRemoveMetaDropsTheMetaGetsThemInTheNextGeneration() throws Exception {
        loadEveryChunkButNoIndex("rm", tmp.resolve("gen1"));
        try (Connection d = DOWN.instance().connect()) {
            assertThat(showCreate(d, "many")).contains("many''s \\\\ note\\n-- dm-java: secondary indexes still to add");
        }

        removeMeta("rm");
        // The next generation dumps into a directory of its own and loads into the table the first one left, the
        // pipelined way (the table is no longer known as the task's own, so its chunks wait for the dump's end).
        Path gen2 = tmp.resolve("gen2");
        UnitContext ctx = Fixtures.ctx(Fixtures.task("rm", "replace", 2, 3, "auto"), Fixtures.db(UP.instance()),
                Fixtures.db(DOWN.instance()), MANY_ONLY, gen2, () -> false);
        DumpFeed feed = new DumpFeed();
        LoadUnit load = new LoadUnit(o -> o, SqlRetry.DEFAULT, feed);
        java.util.concurrent.CompletableFuture<Void> loading = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                load.run(ctx);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        new DumpUnit(o -> o.withChunkRows(2000), SqlRetry.DEFAULT, feed).run(ctx);
        loading.get();
        assertExact(List.of("many"));
    }

    /** Dumps idx.many and loads it, stopping as its last chunk commits, before its index build. */
    private static void loadEveryChunkButNoIndex(String task, Path dir) throws Exception {
        new DumpUnit(o -> o.withChunkRows(2000), SqlRetry.DEFAULT).run(ctx(task, dir, () -> false, MANY_ONLY));
        long total = DumpMetadata.read(dir).orElseThrow().totalRows();
        // The stop turns true as the last chunk commits, before any thread may take the index builds it queues.
        LoadUnit first = new LoadUnit(o -> o.withImportThreads(1), SqlRetry.DEFAULT);
        first.run(ctx(task, dir, () -> first.status().finishedRows() >= total, MANY_ONLY));
        try (Connection d = DOWN.instance().connect()) {
            assertThat(RoutingAndModesTest.count(d, "SELECT COUNT(*) FROM idx.many")).isEqualTo(30_000);
            assertThat(indexes(d, "many")).doesNotContain("k").contains("u");
        }
    }

    /** What {@code start} with {@code remove_meta} does to the downstream (the master's TargetDatabase.dropTaskMeta). */
    private static void removeMeta(String task) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        try (Connection d = DOWN.instance().connect(); Statement st = d.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dm_meta'"
                    + " AND TABLE_NAME LIKE '" + task + "\\_%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                st.execute("DROP TABLE IF EXISTS `dm_meta`.`" + t + "`");
            }
        }
        assertThat(tables).contains(task + "_loader_checkpoint", task + "_loader_table");
    }

    private static UnitContext ctx(String task, Path dir, java.util.function.BooleanSupplier stop, TableRouter router) {
        return Fixtures.ctx(Fixtures.task(task, "error", 2, 3, "auto"), Fixtures.db(UP.instance()),
                Fixtures.db(DOWN.instance()), router, dir, stop);
    }

    static void assertExact(List<String> tables) throws SQLException {
        try (Connection u = UP.instance().connect(); Connection d = DOWN.instance().connect()) {
            for (String t : tables) {
                assertThat(showCreate(d, t)).as("definition of %s", t).isEqualTo(showCreate(u, t));
                TableName name = new TableName("idx", t);
                assertThat(TableComparator.diff(TableComparator.rows(u, name), TableComparator.rows(d, name))).as(t).isEmpty();
            }
        }
    }

    private static List<String> indexes(Connection c, String table) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DISTINCT INDEX_NAME"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'idx' AND TABLE_NAME = '" + table + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** SHOW CREATE TABLE without the AUTO_INCREMENT counter, which legitimately differs. */
    static String showCreate(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE `idx`.`" + table + "`")) {
            rs.next();
            return rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", "");
        }
    }

}
