package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskStartArgs;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.sync.checkpoint.StartMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync unit started with {@code start_time} and {@code safe_mode_time_duration} (docs/sync.md): it starts at
 * the first transaction at or after the time, acts on one start request once (a restart follows the checkpoint),
 * lets a new request's time win over the checkpoint with safe mode over what was already written, and writes
 * idempotently during the safe-mode window.
 */
class SyncStartTimeTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final String TASK = "st";
    private static final TableName T = new TableName("st", "t");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void startTimeIsActedOnOnceAndANewOneWinsOverTheCheckpoint() throws Exception {
        MariaDbInstance up = UP.instance();
        String[] setup = {"CREATE DATABASE st", "CREATE TABLE st.t (id INT PRIMARY KEY, batch CHAR(1), at BIGINT)"};
        DOWN.instance().execute(setup);
        TaskConfig task = SyncFixtures.task(TASK, "incremental", 2, 10, false, null, null);
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement()) {
            long base = scalar(u, "SELECT UNIX_TIMESTAMP()") - 1000;
            // binlog timestamps in binlog order, as a real upstream writes them
            st.execute("SET TIMESTAMP = " + (base - 10));
            for (String sql : setup) {
                st.execute(sql);
            }
            for (int i = 0; i < 3; i++) {
                insert(st, base + i, i + 1, "A");
            }
            for (int i = 0; i < 3; i++) {
                insert(st, base + 10 + i, 11 + i, "B");
            }
            st.execute("SET TIMESTAMP = DEFAULT");

            TaskStartArgs first = new TaskStartArgs("r1", "base+5", base + 5, null);
            try (SyncFixtures.Running sync = run(task, first)) {
                sync.awaitStarted(d, TASK);
                st.execute("INSERT INTO st.t VALUES (21, 'C', 0), (22, 'C', 0)");
                awaitIds(d, List.of(11, 12, 13, 21, 22), sync);
                sync.stop();
            }
            assertThat(savedRequest(d)).isEqualTo("r1");

            // The same request again (a worker restart): the checkpoint wins, nothing is searched or replayed again.
            try (Statement ds = d.createStatement()) {
                ds.execute("DELETE FROM st.t WHERE id = 11");
            }
            try (SyncFixtures.Running sync = run(task, first)) {
                st.execute("INSERT INTO st.t VALUES (31, 'D', 0)");
                awaitIds(d, List.of(12, 13, 21, 22, 31), sync);
                sync.stop();
            }

            // A new start request with an earlier time wins over the checkpoint; B..D, applied already, are replayed
            // in safe mode (else their inserts would fail on duplicate keys).
            TaskStartArgs earlier = new TaskStartArgs("r2", "base", base, null);
            try (SyncFixtures.Running sync = run(task, earlier)) {
                SyncFixtures.awaitSame(u, d, List.of(T), WAIT, sync::failure);
                sync.stop();
            }
            assertThat(savedRequest(d)).isEqualTo("r2");

            // safe_mode_time_duration alone: from the checkpoint, idempotent writes for an hour of binlog time.
            try (Statement ds = d.createStatement()) {
                ds.execute("INSERT INTO st.t VALUES (41, 'x', -1)"); // a row the downstream already has, differently
            }
            TaskStartArgs safe = new TaskStartArgs("r3", null, null, "1h");
            try (SyncFixtures.Running sync = run(task, safe)) {
                sync.awaitStarted(d, TASK);
                st.execute("INSERT INTO st.t VALUES (41, 'E', 0)");
                SyncFixtures.awaitSame(u, d, List.of(T), WAIT, sync::failure);
                assertThat(sync.status().safeMode()).isTrue();
                sync.stop();
            }
            long now = scalar(u, "SELECT UNIX_TIMESTAMP()");
            try (Statement ds = d.createStatement(); ResultSet rs = ds.executeQuery("SELECT start_request, safe_mode_exit_ts"
                    + " FROM dm_meta." + TASK + "_syncer_checkpoint WHERE is_global")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("r3");
                assertThat(rs.getLong(2)).isBetween(now + 3600 - 120, now + 3600);
            }
        }
    }

    @Test
    void aCheckpointTableOfAnEarlierVersionGetsTheStartColumns() throws Exception {
        try (Connection d = DOWN.instance().connect(); Statement st = d.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS old_meta");
            st.execute("CREATE TABLE old_meta.t_syncer_checkpoint (`id` VARCHAR(128) NOT NULL, `cp_schema` VARCHAR(128) NOT NULL,"
                    + " `cp_table` VARCHAR(128) NOT NULL, `binlog_name` VARCHAR(255) NOT NULL, `binlog_pos` BIGINT UNSIGNED NOT NULL,"
                    + " `binlog_gtid` TEXT NOT NULL, `exit_safe_binlog_name` VARCHAR(255) NULL, `exit_safe_binlog_pos` BIGINT"
                    + " UNSIGNED NULL, `exit_safe_binlog_gtid` TEXT NULL, `table_info` LONGTEXT NULL, `is_global` BOOLEAN NOT NULL,"
                    + " PRIMARY KEY (`id`, `cp_schema`, `cp_table`))");
            st.execute("INSERT INTO old_meta.t_syncer_checkpoint VALUES ('s', '', '', 'mysql-bin.000002', 4, '', NULL, NULL,"
                    + " NULL, NULL, TRUE)");
            SyncCheckpointStore store = new SyncCheckpointStore("old_meta", "t", "s");
            store.ensure(d);
            store.ensure(d);
            var cp = store.load(d).orElseThrow();
            assertThat(cp.position().file()).isEqualTo("mysql-bin.000002");
            assertThat(cp.start()).isEqualTo(StartMark.NONE);
        }
    }

    private SyncFixtures.Running run(TaskConfig task, TaskStartArgs args) {
        return new SyncFixtures.Running(task, Fixtures.db(UP.instance()), Fixtures.db(DOWN.instance()), Fixtures.schemas("st"),
                dir, false, Duration.ofMillis(300), BinlogOperatorSource.none(), args);
    }

    private static void insert(Statement st, long at, int id, String batch) throws SQLException {
        st.execute("SET TIMESTAMP = " + at);
        st.execute("INSERT INTO st.t VALUES (" + id + ", '" + batch + "', " + at + ")");
    }

    private static void awaitIds(Connection d, List<Integer> expected, SyncFixtures.Running sync) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Integer> ids = List.of();
        while (System.nanoTime() < deadline) {
            if (sync.failure() != null) {
                throw new AssertionError("sync unit failed", sync.failure());
            }
            ids = ids(d);
            if (ids.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("downstream ids " + ids + ", expected " + expected);
    }

    private static List<Integer> ids(Connection d) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement st = d.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM st.t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static String savedRequest(Connection d) throws SQLException {
        try (Statement st = d.createStatement(); ResultSet rs = st.executeQuery("SELECT start_request FROM dm_meta." + TASK
                + "_syncer_checkpoint WHERE is_global")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
