package io.dmjava.worker.sync.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.fullmigration.TableComparator;
import io.dmjava.worker.sync.schema.ColumnSchema;
import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BinlogStream} and {@link ValueConverter} against a real MariaDB: every value replicated exactly,
 * positions and GTID sets that resume exactly, DDL, heartbeats and a killed dump thread.
 */
class BinlogStreamTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final AtomicLong serverIds = new AtomicLong(1000);

    @BeforeAll
    static void schemas() {
        for (MariaDbInstance db : List.of(UP.instance(), DOWN.instance())) {
            db.execute("CREATE DATABASE `my db`", ReplayFixtures.DDL, ReplayFixtures.NARROW_DDL,
                    "CREATE DATABASE small", "CREATE TABLE small.t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
    }

    private DbConfig source() {
        MariaDbInstance up = UP.instance();
        return new DbConfig(up.host(), up.port(), up.user(), up.password(), Map.of());
    }

    private BinlogStream open(BinlogPosition start, boolean byGtid) throws BinlogStreamException {
        return BinlogStream.open(source(), start, byGtid, BinlogStreamOptions.of(serverIds.incrementAndGet()));
    }

    @Test
    void everyValueReplicatesExactly() throws Exception {
        MariaDbInstance up = UP.instance();
        BinlogPosition start = ReplayFixtures.current(up);
        // Tiny queue bounds, so that the client thread blocks on the consumer over and over.
        BinlogStreamOptions options = BinlogStreamOptions.of(serverIds.incrementAndGet()).withQueueBounds(8, 16 * 1024);
        try (BinlogStream stream = BinlogStream.open(source(), start, false, options);
             Connection u = up.connect(); Connection d = ReplayFixtures.downstream(DOWN.instance())) {
            assertThat(stream.flavor()).isEqualTo(DbFlavor.MARIADB);
            ReplayFixtures.insertRows(u, 1000);
            try (Statement st = u.createStatement()) {
                st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'");
                st.execute("UPDATE `my db`.`select` SET `vc` = CONCAT(IFNULL(`vc`, ''), '✓'), `l1` = 'àé', `i` = `i` DIV 2,"
                        + " `tm` = '-00:00:00.5', `dt` = '2023-02-29' WHERE `id` BETWEEN 100 AND 400");
                st.execute("UPDATE `my db`.`select` SET `id` = `id` + 10000 WHERE `id` IN (5, 6)");
                st.execute("UPDATE `my db`.`select` SET `from` = NULL, `ti` = NULL, `biu` = 18446744073709551614,"
                        + " `f` = -0e0, `d` = -1e-300, `ts` = '0000-00-00 00:00:00', `y` = 0, `j` = NULL WHERE `id` = 0");
                st.execute("UPDATE `my db`.`select` SET `c` = 'x', `bn` = 'ab', `tiu` = 200 WHERE `id` = 7");
                st.execute("UPDATE " + ReplayFixtures.NARROW.quoted() + " SET `v` = `v` * 10, `l` = 'ü' WHERE `v` < 4");
                st.execute("UPDATE " + ReplayFixtures.NARROW.quoted() + " SET `k` = 'b' WHERE `k` = 'a'");
                st.execute("DELETE FROM `my db`.`select` WHERE `id` % 7 = 3");
                st.execute("DELETE FROM " + ReplayFixtures.NARROW.quoted() + " WHERE `v` = 5");
                u.setAutoCommit(false);
                st.execute("INSERT INTO `my db`.`select` (`id`, `vc`) VALUES (5000, 'in txn')");
                st.execute("UPDATE `my db`.`select` SET `vc` = 'updated in txn' WHERE `id` = 5000");
                st.execute("DELETE FROM `my db`.`select` WHERE `id` = 101");
                u.commit();
                u.setAutoCommit(true);
            }
            BinlogPosition end = ReplayFixtures.current(up);

            List<ColumnSchema> wide = ReplayFixtures.columns(u, ReplayFixtures.TABLE);
            List<ColumnSchema> narrow = ReplayFixtures.columns(u, ReplayFixtures.NARROW);
            d.setAutoCommit(false);
            int rowsEvents = 0;
            TxnCommit last = null;
            while (last == null || last.position().compareTo(end) < 0) {
                BinlogEvent e = stream.next(WAIT);
                assertThat(e).as("an event before %s (last commit %s)", end, last).isNotNull();
                if (e instanceof RowsEvent rows) {
                    boolean isWide = rows.table().equals(ReplayFixtures.TABLE.table());
                    List<ColumnSchema> cols = isWide ? wide : narrow;
                    assertThat(rows.columnNames()).containsExactlyElementsOf(cols.stream().map(ColumnSchema::name).toList());
                    assertThat(rows.position().gtid()).isEqualTo(last == null ? start.gtid() : last.position().gtid());
                    ReplayFixtures.apply(d, rows, cols, List.of(isWide ? "id" : "k"));
                    rowsEvents++;
                } else if (e instanceof TxnCommit commit) {
                    d.commit();
                    last = commit;
                }
            }
            assertThat(last.position()).isEqualTo(end);
            assertThat(rowsEvents).isGreaterThan(10);
        }
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect()) {
            // The awkward values really are upstream (else the comparison below proves less than it seems).
            try (Statement st = u.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(`dt` AS CHAR),"
                    + " CAST(`tm` AS CHAR) FROM `my db`.`select` WHERE `id` = 8")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2024-02-30");
                assertThat(rs.getString(2)).isEqualTo("100:00:00.000001");
            }
            for (TableName t : List.of(ReplayFixtures.TABLE, ReplayFixtures.NARROW)) {
                List<String> expected = TableComparator.rows(u, t);
                assertThat(TableComparator.diff(expected, TableComparator.rows(d, t))).as("rows of %s", t).isEmpty();
                assertThat(TableComparator.checksum(d, t)).as("checksum of %s", t).isEqualTo(TableComparator.checksum(u, t));
                assertThat(expected.size()).isGreaterThanOrEqualTo(5);
            }
        }
    }

    @Test
    void startingByGtidOrByFilePosLandsOnTheSameEvent() throws Exception {
        MariaDbInstance up = UP.instance();
        BinlogPosition start = ReplayFixtures.current(up);
        up.execute("INSERT INTO small.t VALUES (1, 'one')", "INSERT INTO small.t VALUES (2, 'two')");
        BinlogPosition withoutGtid = new BinlogPosition(start.file(), start.pos(), "");
        try (BinlogStream byPos = open(withoutGtid, false); BinlogStream byGtid = open(start, true)) {
            List<BinlogEvent> a = events(byPos, 4);
            List<BinlogEvent> b = events(byGtid, 4);
            assertThat(a).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(b.get(i).position()).isEqualTo(a.get(i).position());
                assertThat(b.get(i).getClass()).isEqualTo(a.get(i).getClass());
            }
            RowsEvent first = (RowsEvent) a.get(0);
            assertThat(first.schema()).isEqualTo("small");
            assertThat(first.after().get(0)[0]).isEqualTo(1);
            assertThat(first.position().gtid()).isEqualTo(start.gtid());
            assertThat(a.get(3).position()).isEqualTo(ReplayFixtures.current(up));
        }
    }

    @Test
    void aTxnCommitPositionResumesAtTheNextTransaction() throws Exception {
        MariaDbInstance up = UP.instance();
        BinlogPosition start = ReplayFixtures.current(up);
        up.execute("INSERT INTO small.t VALUES (11, 'a')", "INSERT INTO small.t VALUES (12, 'b')",
                "INSERT INTO small.t VALUES (13, 'c')");
        List<TxnCommit> commits = new ArrayList<>();
        try (BinlogStream stream = open(start, false)) {
            for (BinlogEvent e : events(stream, 6)) {
                if (e instanceof TxnCommit c) {
                    commits.add(c);
                }
            }
        }
        assertThat(commits).hasSize(3);
        for (boolean byGtid : new boolean[] {false, true}) {
            try (BinlogStream resumed = open(commits.get(0).position(), byGtid)) {
                List<BinlogEvent> next = events(resumed, 2);
                assertThat(((RowsEvent) next.get(0)).after().get(0)[0]).as("by gtid: %s", byGtid).isEqualTo(12);
                assertThat(next.get(1)).isInstanceOf(TxnCommit.class);
                assertThat(next.get(1).position()).isEqualTo(commits.get(1).position());
            }
        }
    }

    @Test
    void aDdlArrivesAsAQueryEventWithItsGtid() throws Exception {
        MariaDbInstance up = UP.instance();
        BinlogPosition start = ReplayFixtures.current(up);
        up.execute("CREATE TABLE small.ddl (id INT PRIMARY KEY)");
        BinlogPosition after = ReplayFixtures.current(up);
        try (BinlogStream stream = open(start, true)) {
            BinlogEvent e = events(stream, 1).get(0);
            assertThat(e).isInstanceOf(QueryEvent.class);
            QueryEvent q = (QueryEvent) e;
            assertThat(q.sql()).isEqualTo("CREATE TABLE small.ddl (id INT PRIMARY KEY)");
            assertThat(q.position()).isEqualTo(after);
            assertThat(q.position().gtid()).isNotEqualTo(start.gtid());
        }
    }

    @Test
    void anIdleUpstreamYieldsHeartbeats() throws Exception {
        BinlogPosition start = ReplayFixtures.current(UP.instance());
        BinlogStreamOptions options = BinlogStreamOptions.of(serverIds.incrementAndGet())
                .withHeartbeatInterval(Duration.ofMillis(300));
        try (BinlogStream stream = BinlogStream.open(source(), start, false, options)) {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int heartbeats = 0;
            while (System.nanoTime() < until) {
                BinlogEvent e = stream.next(Duration.ofMillis(500));
                if (e != null) {
                    assertThat(e).isInstanceOf(Heartbeat.class);
                    assertThat(e.position()).isEqualTo(start);
                    heartbeats++;
                }
            }
            assertThat(heartbeats).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void killingTheDumpThreadFailsNextPromptly() throws Exception {
        MariaDbInstance up = UP.instance();
        try (BinlogStream stream = open(ReplayFixtures.current(up), false)) {
            assertThat(stream.next(Duration.ofMillis(100))).isNull();
            long dumpThread = -1;
            try (Connection c = up.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW PROCESSLIST")) {
                while (rs.next()) {
                    if (rs.getString("Command").startsWith("Binlog Dump")) {
                        dumpThread = rs.getLong("Id");
                    }
                }
            }
            assertThat(dumpThread).isPositive();
            up.execute("KILL " + dumpThread);
            long began = System.nanoTime();
            assertThatThrownBy(() -> {
                while (System.nanoTime() - began < Duration.ofSeconds(30).toNanos()) {
                    stream.next(Duration.ofMillis(200));
                }
            }).isInstanceOfSatisfying(BinlogStreamException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_BINLOG_CONNECTION_LOST);
                assertThat(e.retryable()).isTrue();
            });
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPositionTheSourceDoesNotHaveIsRefusedWithTheWorkaround() {
        BinlogPosition start = new BinlogPosition("mysql-bin.999999", 4, "0-1-1");
        assertThatThrownBy(() -> open(start, false).close())
                .isInstanceOfSatisfying(BinlogStreamException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_BINLOG_POSITION_UNAVAILABLE);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("mysql-bin.999999").contains("workaround");
                });
        assertThatThrownBy(() -> open(new BinlogPosition("", 0, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"), true).close())
                .isInstanceOfSatisfying(BinlogStreamException.class,
                        e -> assertThat(e.getMessage()).contains("is not a MARIADB GTID set"));
    }

    /** The next {@code n} events other than heartbeats. */
    private static List<BinlogEvent> events(BinlogStream stream, int n) throws BinlogStreamException {
        List<BinlogEvent> out = new ArrayList<>();
        long until = System.nanoTime() + WAIT.toNanos();
        while (out.size() < n && System.nanoTime() < until) {
            BinlogEvent e = stream.next(Duration.ofMillis(500));
            if (e != null && !(e instanceof Heartbeat)) {
                out.add(e);
            }
        }
        return out;
    }
}
