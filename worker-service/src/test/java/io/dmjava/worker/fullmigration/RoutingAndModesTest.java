package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadMethod;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.DbConfig;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Routing (two shards merged into one table), tables without keys, empty tables, tables of many chunks,
 * consistency modes, pause and resume, and the three on_duplicate behaviours.
 */
class RoutingAndModesTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    @TempDir
    static Path tmp;

    static final TableName MERGED = new TableName("merged", "orders");
    static final SqlRetry FAST_RETRY = new SqlRetry(3, Duration.ofMillis(50));

    /** shard_N.orders -> merged.orders; other tables of shard_N keep their names; nothing else is selected. */
    static final TableRouter SHARDS = Fixtures.router((s, t) -> !s.startsWith("shard_") ? Optional.empty()
            : Optional.of(t.equals("orders") ? MERGED : new TableName(s, t)), s -> s.startsWith("shard_"));

    @BeforeAll
    static void createUpstreamData() throws Exception {
        MariaDbInstance up = UP.instance();
        for (int shard = 1; shard <= 2; shard++) {
            up.execute("CREATE DATABASE shard_" + shard,
                    "CREATE TABLE shard_" + shard + ".orders (id BIGINT PRIMARY KEY, shard INT NOT NULL, note VARCHAR(40))");
            up.execute("INSERT INTO shard_" + shard + ".orders SELECT seq, " + shard + ", CONCAT('order ', seq)"
                    + " FROM mysql.seq_" + (shard * 1000 - 999) + "_to_" + (shard * 1000));
        }
        up.execute("CREATE TABLE shard_1.nopk (a INT, b VARCHAR(10))",
                "INSERT INTO shard_1.nopk VALUES (1, 'dup'), (1, 'dup'), (1, 'dup'), (2, NULL), (NULL, NULL)",
                "INSERT INTO shard_1.nopk SELECT seq % 7, 'x' FROM mysql.seq_1_to_300",
                "CREATE TABLE shard_1.empty_t (id INT PRIMARY KEY, v TEXT)",
                "CREATE TABLE shard_2.big (id INT UNSIGNED PRIMARY KEY, k INT, c CHAR(60), KEY (k))",
                "INSERT INTO shard_2.big SELECT seq, seq % 1000, REPEAT(CHAR(65 + seq % 26), 60) FROM mysql.seq_1_to_20000",
                "CREATE TABLE shard_2.uk_only (code VARCHAR(20) NOT NULL, part INT NOT NULL, v INT, UNIQUE KEY u (code, part))",
                "INSERT INTO shard_2.uk_only SELECT CONCAT('c', seq % 97), seq, seq FROM mysql.seq_1_to_3000",
                "CREATE TABLE shard_2.composite (a INT NOT NULL, b VARCHAR(8) NOT NULL, v INT, PRIMARY KEY (a, b))",
                "INSERT INTO shard_2.composite SELECT seq % 10, CONCAT('b', seq), seq FROM mysql.seq_1_to_2500",
                "CREATE DATABASE other", "CREATE TABLE other.t (id INT PRIMARY KEY)", "INSERT INTO other.t VALUES (1)",
                "CREATE DATABASE dup", "CREATE TABLE dup.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO dup.t SELECT seq, CONCAT('up', seq) FROM mysql.seq_1_to_10");
        // Statistics as a running server would have them (the planner sizes integer ranges with them).
        up.execute("ANALYZE TABLE shard_2.big, shard_2.uk_only, shard_2.composite");
    }

    private UnitContext ctx(String task, String onDuplicate, String consistency, DbConfig source, TableRouter router,
                            Path dir, java.util.function.BooleanSupplier stop) {
        TaskConfig t = Fixtures.task(task, onDuplicate, 3, 4, consistency);
        return Fixtures.ctx(t, source, Fixtures.db(DOWN.instance()), router, dir, stop);
    }

    private void resetDownstream() {
        DOWN.instance().execute("DROP DATABASE IF EXISTS merged", "DROP DATABASE IF EXISTS shard_1",
                "DROP DATABASE IF EXISTS shard_2", "DROP DATABASE IF EXISTS dm_meta", "DROP DATABASE IF EXISTS dup");
    }

    @ParameterizedTest
    @CsvSource({"auto", "none"})
    void shardsMergeAndEveryTableArrives(String consistency) throws Exception {
        resetDownstream();
        Path dir = tmp.resolve("shards-" + consistency);
        UnitContext ctx = ctx("shards", "error", consistency, Fixtures.db(UP.instance()), SHARDS, dir, () -> false);
        DumpUnit dump = new DumpUnit(o -> o.withChunkRows(1000), FAST_RETRY);
        dump.run(ctx);
        DumpMetadata m = DumpMetadata.read(dir).orElseThrow();
        long chunkFiles = m.tables().stream().mapToLong(t -> t.chunks().size()).sum();
        assertThat(dump.progress()).as("the dump's metrics").satisfies(p -> {
            assertThat(p.finished()).isTrue();
            assertThat(p.finishedChunks()).isEqualTo(chunkFiles).isEqualTo(p.totalChunks());
            assertThat(p.finishedTables()).isEqualTo(7).isEqualTo(p.totalTables());
            assertThat(p.finishedRows()).isEqualTo(m.totalRows());
        });
        assertThat(m.tables()).extracting(t -> t.schema() + "." + t.table()).containsExactly("shard_1.empty_t",
                "shard_1.nopk", "shard_1.orders", "shard_2.big", "shard_2.composite", "shard_2.orders", "shard_2.uk_only");
        Map<String, Integer> chunks = new java.util.HashMap<>();
        m.tables().forEach(t -> chunks.put(t.schema() + "." + t.table(), t.chunks().size()));
        assertThat(chunks.get("shard_2.big")).isGreaterThanOrEqualTo(10);
        assertThat(chunks.get("shard_2.uk_only")).isEqualTo(3); // sampled boundaries every 1000 keys
        assertThat(chunks.get("shard_1.nopk")).isEqualTo(1);
        assertThat(m.consistency()).isEqualTo(consistency.equals("auto") ? "flush" : "none");
        assertThat(m.minChunkPosition().isKnown()).isTrue();
        // on_duplicate error: the two shards have disjoint keys, so merging them must not conflict.
        new LoadUnit(o -> o, FAST_RETRY).run(ctx);

        try (Connection u = UP.instance().connect(); Connection d = DOWN.instance().connect()) {
            for (String t : List.of("shard_1.nopk", "shard_1.empty_t", "shard_2.big", "shard_2.uk_only", "shard_2.composite")) {
                TableName name = new TableName(t.split("\\.")[0], t.split("\\.")[1]);
                assertThat(TableComparator.diff(TableComparator.rows(u, name), TableComparator.rows(d, name))).as(t).isEmpty();
                assertThat(TableComparator.checksum(d, name)).as(t).isEqualTo(TableComparator.checksum(u, name));
            }
            List<String> expected = new ArrayList<>(TableComparator.rows(u, new TableName("shard_1", "orders")));
            expected.addAll(TableComparator.rows(u, new TableName("shard_2", "orders")));
            assertThat(TableComparator.diff(expected, TableComparator.rows(d, MERGED))).isEmpty();
            assertThat(count(d, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'other'")).isZero();
            assertThat(count(d, "SELECT COUNT(*) FROM dm_meta.shards_loader_checkpoint")).isEqualTo(
                    m.tables().stream().mapToLong(t -> t.chunks().size()).sum());
        }
    }

    @Test
    void withoutReloadPrivilegeAutoFallsBackToLockTablesAndFlushFails() throws Exception {
        resetDownstream();
        UP.instance().execute("CREATE USER IF NOT EXISTS 'nolock'@'%' IDENTIFIED BY 'pw'",
                "GRANT SELECT, LOCK TABLES, BINLOG MONITOR ON *.* TO 'nolock'@'%'");
        DbConfig limited = new DbConfig(UP.instance().host(), UP.instance().port(), "nolock", "pw", Map.of());
        Path dir = tmp.resolve("lock");
        UnitContext ctx = ctx("locked", "replace", "auto", limited, SHARDS, dir, () -> false);
        new DumpUnit(o -> o.withChunkRows(5000), FAST_RETRY).run(ctx);
        DumpMetadata m = DumpMetadata.read(dir).orElseThrow();
        assertThat(m.consistency()).isEqualTo("lock");
        assertThat(m.positionExact()).isTrue();
        new LoadUnit().run(ctx);
        try (Connection u = UP.instance().connect(); Connection d = DOWN.instance().connect()) {
            TableName big = new TableName("shard_2", "big");
            assertThat(TableComparator.checksum(d, big)).isEqualTo(TableComparator.checksum(u, big));
        }

        UnitContext flush = ctx("flush", "replace", "flush", limited, SHARDS, tmp.resolve("flush"), () -> false);
        assertThatThrownBy(() -> new DumpUnit().run(flush)).isInstanceOfSatisfying(UnitException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DUMP_SNAPSHOT_FAILED));
    }

    @Test
    void aPausedLoadResumesWithoutRedoingChunks() throws Exception {
        resetDownstream();
        Path dir = tmp.resolve("pause");
        UnitContext dumpCtx = ctx("pause", "error", "auto", Fixtures.db(UP.instance()), SHARDS, dir, () -> false);
        new DumpUnit(o -> o.withChunkRows(500), FAST_RETRY).run(dumpCtx);
        AtomicBoolean stop = new AtomicBoolean();
        LoadUnit first = new LoadUnit(o -> o.withImportThreads(2), FAST_RETRY);
        UnitContext loadCtx = ctx("pause", "error", "auto", Fixtures.db(UP.instance()), SHARDS, dir,
                () -> stop.get() || first.status().finishedRows() >= 5000);
        first.run(loadCtx);
        long committed;
        try (Connection d = DOWN.instance().connect()) {
            committed = count(d, "SELECT COUNT(*) FROM dm_meta.pause_loader_checkpoint");
        }
        long total = DumpMetadata.read(dir).orElseThrow().tables().stream().mapToLong(t -> t.chunks().size()).sum();
        assertThat(committed).isGreaterThan(0).isLessThan(total);
        // on_duplicate is error: re-importing any committed chunk would fail the second run.
        LoadUnit second = new LoadUnit(o -> o.withImportThreads(2), FAST_RETRY);
        second.run(ctx("pause", "error", "auto", Fixtures.db(UP.instance()), SHARDS, dir, () -> false));
        assertThat(second.status().finishedBytes()).isEqualTo(second.status().totalBytes());
        assertThat(first.progress().finishedChunks()).as("the first run's metrics").isEqualTo(committed);
        assertThat(second.progress()).as("the second run's metrics").satisfies(p -> {
            assertThat(p.finishedChunks()).isEqualTo(total).isEqualTo(p.totalChunks());
            assertThat(p.byteFraction()).isEqualTo(1.0);
        });
        try (Connection u = UP.instance().connect(); Connection d = DOWN.instance().connect()) {
            assertThat(count(d, "SELECT COUNT(*) FROM dm_meta.pause_loader_checkpoint")).isEqualTo(total);
            TableName big = new TableName("shard_2", "big");
            assertThat(TableComparator.checksum(d, big)).isEqualTo(TableComparator.checksum(u, big));
        }
        // A finished dump is not redone.
        DumpMetadata before = DumpMetadata.read(dir).orElseThrow();
        new DumpUnit().run(dumpCtx);
        assertThat(DumpMetadata.read(dir).orElseThrow().snapshotId()).isEqualTo(before.snapshotId());
    }

    @ParameterizedTest
    @CsvSource({"replace,LOAD_DATA", "replace,INSERT", "ignore,LOAD_DATA", "ignore,INSERT", "error,LOAD_DATA", "error,INSERT"})
    void onDuplicate(String mode, LoadMethod method) throws Exception {
        resetDownstream();
        TableRouter dupOnly = Fixtures.schemas("dup");
        Path dir = tmp.resolve("dup-" + mode + "-" + method);
        UnitContext ctx = ctx("dup", mode, "auto", Fixtures.db(UP.instance()), dupOnly, dir, () -> false);
        new DumpUnit(o -> o.withChunkRows(4), FAST_RETRY).run(ctx);
        DOWN.instance().execute("CREATE DATABASE dup", "CREATE TABLE dup.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO dup.t VALUES (5, 'down5'), (42, 'down42')");
        LoadUnit load = new LoadUnit(o -> o.withMethod(method), FAST_RETRY);
        if (mode.equals("error")) {
            assertThatThrownBy(() -> load.run(ctx)).isInstanceOfSatisfying(UnitException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.LOAD_DUPLICATE_KEY);
                assertThat(e.getMessage()).contains("dup.t").contains("'5'").containsIgnoringCase("PRIMARY");
            });
            return;
        }
        load.run(ctx);
        try (Connection d = DOWN.instance().connect()) {
            assertThat(count(d, "SELECT COUNT(*) FROM dup.t")).isEqualTo(11);
            assertThat(string(d, "SELECT v FROM dup.t WHERE id = 5")).isEqualTo(mode.equals("replace") ? "up5" : "down5");
            assertThat(string(d, "SELECT v FROM dup.t WHERE id = 6")).isEqualTo("up6");
            assertThat(string(d, "SELECT v FROM dup.t WHERE id = 42")).isEqualTo("down42");
        }
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
