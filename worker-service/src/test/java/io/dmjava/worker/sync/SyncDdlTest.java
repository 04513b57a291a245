package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRules;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.fullmigration.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL between row changes: databases and tables created, altered (add, drop, modify columns), renamed,
 * truncated and dropped, also while the task is paused; binlog filter rules; routes applied to DDL.
 */
class SyncDdlTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    @TempDir
    Path dir;

    @Test
    void tablesFollowEveryDdlIncludingWhilePaused() throws Exception {
        MariaDbInstance up = UP.instance();
        TaskConfig task;
        try (Connection c = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task("ddl", "incremental", 4, 50, false, null, null), c);
        }
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement()) {
            SyncFixtures.Running sync = start(task).awaitStarted(d, "ddl");
            st.execute("CREATE DATABASE dd");
            st.execute("CREATE TABLE dd.t (id INT PRIMARY KEY, a VARCHAR(10), b INT)");
            st.execute("INSERT INTO dd.t VALUES (1, 'one', 1), (2, 'two', 2)");
            st.execute("ALTER TABLE dd.t ADD COLUMN c DATETIME(3) NULL AFTER a, ADD COLUMN z TEXT");
            st.execute("INSERT INTO dd.t VALUES (3, 'three', '2024-01-02 03:04:05.678', 3, 'zz')");
            st.execute("UPDATE dd.t SET b = b * 10, z = 'upd' WHERE id < 3");
            st.execute("ALTER TABLE dd.t DROP COLUMN a");
            st.execute("INSERT INTO dd.t VALUES (4, NULL, 4, 'four')");
            st.execute("ALTER TABLE dd.t MODIFY COLUMN b BIGINT UNSIGNED");
            st.execute("INSERT INTO dd.t VALUES (5, NULL, 18446744073709551615, 'max')");
            st.execute("CREATE TABLE dd.`other t` LIKE dd.t");
            st.execute("INSERT INTO dd.`other t` SELECT * FROM dd.t");
            st.execute("RENAME TABLE dd.t TO dd.renamed");
            st.execute("UPDATE dd.renamed SET z = 'after rename'");
            st.execute("CREATE TABLE dd.gone (id INT PRIMARY KEY)");
            st.execute("INSERT INTO dd.gone VALUES (1)");
            st.execute("DROP TABLE dd.gone");
            st.execute("CREATE TABLE dd.trunc (id INT PRIMARY KEY)");
            st.execute("INSERT INTO dd.trunc VALUES (1), (2)");
            st.execute("TRUNCATE TABLE dd.trunc");
            st.execute("INSERT INTO dd.trunc VALUES (3)");
            List<TableName> tables = List.of(new TableName("dd", "renamed"), new TableName("dd", "other t"),
                    new TableName("dd", "trunc"));
            SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);
            assertThat(tableExists(d, "dd", "gone")).isFalse();
            assertThat(tableExists(d, "dd", "t")).isFalse();
            assertThat(columns(d, "dd", "renamed")).isEqualTo(columns(u, "dd", "renamed"));

            // paused: the structure changes between rows the next run has not read yet
            sync.stop();
            st.execute("INSERT INTO dd.renamed VALUES (6, NULL, 6, 'before alter')");
            st.execute("ALTER TABLE dd.renamed ADD COLUMN w INT DEFAULT 7 FIRST");
            st.execute("INSERT INTO dd.renamed VALUES (70, 7, NULL, 7, 'after alter')");
            st.execute("ALTER TABLE dd.renamed DROP COLUMN z");
            st.execute("UPDATE dd.renamed SET w = w + id");
            sync = start(task);
            SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);
            assertThat(columns(d, "dd", "renamed")).isEqualTo(columns(u, "dd", "renamed"));
            st.execute("DROP DATABASE dd");
            awaitGone(d, sync);
            sync.stop();
        }
    }

    @Test
    void filtersAndRoutesApplyToDdl() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE shard_1", "CREATE TABLE shard_1.orders (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE shard_1.logs (id INT PRIMARY KEY, msg TEXT)");
        DOWN.instance().execute("CREATE DATABASE merged", "CREATE TABLE merged.orders (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE merged.logs (id INT PRIMARY KEY, msg TEXT)");
        Map<String, TaskConfig.BinlogFilterRule> filters = Map.of(
                "keep-logs", new TaskConfig.BinlogFilterRule(List.of("drop table", "delete"), List.of("(?i)^ALTER TABLE .* ADD INDEX secret")));
        List<TaskConfig.TableMigrateRule> rules = List.of(
                new TaskConfig.TableMigrateRule(new TaskConfig.RuleSource("source-1", "shard_*", "*"),
                        new TaskConfig.RuleTarget("merged", null), null),
                new TaskConfig.TableMigrateRule(new TaskConfig.RuleSource("source-1", "shard_*", "logs"),
                        new TaskConfig.RuleTarget("merged", "logs"), List.of("keep-logs")));
        TaskConfig task;
        try (Connection c = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task("route", "incremental", 2, 20, false, filters, rules), c);
        }
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement();
             SyncFixtures.Running sync = new SyncFixtures.Running(task, Fixtures.db(up), Fixtures.db(DOWN.instance()),
                     TableRules.forSource(task, "source-1"), dir, false, Duration.ofSeconds(1))) {
            sync.awaitStarted(d, "route");
            st.execute("INSERT INTO shard_1.orders VALUES (1, 1), (2, 2)");
            st.execute("INSERT INTO shard_1.logs VALUES (1, 'kept'), (2, 'kept too')");
            st.execute("DELETE FROM shard_1.logs WHERE id = 1"); // ignored: "delete" on logs
            st.execute("ALTER TABLE shard_1.orders ADD COLUMN note VARCHAR(20) DEFAULT 'n'");
            st.execute("ALTER TABLE shard_1.logs ADD INDEX secret_idx (msg(10))"); // ignored by ignore_sql
            st.execute("INSERT INTO shard_1.orders VALUES (3, 3, 'three')");
            st.execute("INSERT INTO shard_1.logs VALUES (3, 'three')");
            st.execute("DROP TABLE shard_1.logs"); // ignored: "drop table" on logs
            st.execute("CREATE TABLE shard_1.orders_new (id INT PRIMARY KEY)");
            st.execute("INSERT INTO shard_1.orders_new VALUES (9)");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!tableExists(d, "merged", "orders_new") || count(d, "merged.orders_new") < 1) {
                assertThat(sync.failure()).isNull();
                assertThat(System.nanoTime()).as("routed CREATE TABLE and INSERT arrive").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(names(d, "merged", "orders")).containsExactly("id", "v", "note");
            assertThat(rows(d, "SELECT id, v, note FROM merged.orders ORDER BY id")).containsExactly("1|1|n", "2|2|n", "3|3|three");
            assertThat(rows(d, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'merged'"
                    + " AND TABLE_NAME = 'logs' AND INDEX_NAME = 'secret_idx'")).as("the ignored ALTER did not run").containsExactly("0");
            assertThat(rows(d, "SELECT id, msg FROM merged.logs ORDER BY id"))
                    .as("the ignored DELETE and DROP did not run")
                    .containsExactly("1|kept", "2|kept too", "3|three");
            assertThat(tableExists(d, "shard_1", "orders")).as("nothing lands under the upstream name").isFalse();
        }
    }

    private SyncFixtures.Running start(TaskConfig task, BinlogOperatorSource operators) {
        return new SyncFixtures.Running(task, Fixtures.db(UP.instance()), Fixtures.db(DOWN.instance()), Fixtures.schemas("dd"),
                dir, false, Duration.ofSeconds(1), operators);
    }

    private SyncFixtures.Running start(TaskConfig task) {
        return new SyncFixtures.Running(task, Fixtures.db(UP.instance()), Fixtures.db(DOWN.instance()), Fixtures.schemas("dd"),
                dir, false, Duration.ofSeconds(1));
    }

    @Test
    void aDdlTheDownstreamRejectsIsSkippedOrReplacedByABinlogOperator() throws Exception {
        MariaDbInstance up = UP.instance();
        TaskConfig task;
        try (Connection c = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task("ops", "incremental", 2, 50, false, null, null), c);
        }
        MapOperators operators = new MapOperators();
        List<TableName> tables = List.of(new TableName("dd", "ops"));
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement();
             Statement down = d.createStatement()) {
            SyncFixtures.Running sync = start(task, operators).awaitStarted(d, "ops");
            st.execute("CREATE DATABASE IF NOT EXISTS dd");
            st.execute("CREATE TABLE dd.ops (id INT PRIMARY KEY, a INT, b INT)");
            st.execute("INSERT INTO dd.ops VALUES (1, 1, 1)");
            SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);
            // someone added the column downstream by hand: the replicated ADD COLUMN fails there
            down.execute("ALTER TABLE dd.ops ADD COLUMN c INT");
            st.execute("ALTER TABLE dd.ops ADD COLUMN c INT");
            st.execute("INSERT INTO dd.ops VALUES (2, 2, 2, 2)");
            String skipAt = failedAt(sync);
            sync = start(task, operators.put(new BinlogOperator("skip", skipAt, null)));
            SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);
            assertThat(operators.ops).as("a used operator is removed").isEmpty();

            // an index name taken downstream: replace the statement by one the downstream accepts
            down.execute("ALTER TABLE dd.ops ADD INDEX ia (b)");
            st.execute("ALTER TABLE dd.ops ADD INDEX ia (a), ADD COLUMN e VARCHAR(5) DEFAULT 'e'");
            st.execute("INSERT INTO dd.ops VALUES (3, 3, 3, 3, 'x')");
            String replaceAt = failedAt(sync);
            sync = start(task, operators.put(new BinlogOperator("replace", replaceAt,
                    List.of("ALTER TABLE dd.ops ADD INDEX ia_a (a)", "ALTER TABLE dd.ops ADD COLUMN e VARCHAR(5) DEFAULT 'e'"))));
            SyncFixtures.awaitSame(u, d, tables, Duration.ofSeconds(60), sync::failure);
            assertThat(columns(d, "dd", "ops")).isEqualTo(columns(u, "dd", "ops"));
            assertThat(indexColumns(d, "dd", "ops", "ia_a")).isEqualTo("a");
            assertThat(operators.ops).isEmpty();
            sync.stop();
        }
    }

    /** Waits for the unit to fail on a DDL the downstream rejects; returns the binlog_pos its error names. */
    private static String failedAt(SyncFixtures.Running sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sync.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sync.failure()).isInstanceOf(DmException.class);
        DmException e = (DmException) sync.failure();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_DDL_FAILED);
        Matcher m = Pattern.compile("^DDL failed downstream at binlog_pos ([^\\s:]+:\\d+):").matcher(e.getMessage());
        assertThat(m.find()).as(e.getMessage()).isTrue();
        return m.group(1);
    }

    private static String indexColumns(Connection c, String schema, String table, String index) throws SQLException {
        try (var ps = c.prepareStatement("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, index);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Binlog operators kept in memory, as the worker's etcd-backed source keeps them in etcd. */
    private static final class MapOperators implements BinlogOperatorSource {
        final List<BinlogOperator> ops = new CopyOnWriteArrayList<>();

        MapOperators put(BinlogOperator op) {
            ops.add(op);
            return this;
        }

        @Override
        public Optional<BinlogOperator> at(String file, long start, long end) {
            return ops.stream().filter(o -> o.matches(file, start, end)).findFirst();
        }

        @Override
        public void used(BinlogOperator op) {
            ops.remove(op);
        }
    }

    private static void awaitGone(Connection d, SyncFixtures.Running sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (schemaExists(d, "dd")) {
            assertThat(sync.failure()).isNull();
            assertThat(System.nanoTime()).as("DROP DATABASE arrives").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static List<String> columns(Connection c, String schema, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static List<String> names(Connection c, String schema, String table) throws SQLException {
        return columns(c, schema, table).stream().map(s -> s.split(" ")[0]).toList();
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> vals = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    vals.add(rs.getString(i));
                }
                out.add(String.join("|", vals));
            }
        }
        return out;
    }
}
