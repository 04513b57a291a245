package io.dmjava.worker.sync.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BinlogTimeSearch} on a real MariaDB whose binlog spans several files (one of them without any
 * transaction), written with controlled event timestamps ({@code SET TIMESTAMP}): every time finds exactly the
 * first transaction at or after it, with the GTID set executed before it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinlogTimeSearchTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();

    /** Transaction start time (epoch seconds) -> the binlog position (and GTID set) right before it. */
    private static final Map<Long, BinlogPosition> BEFORE = new LinkedHashMap<>();
    private static final List<String> FILES = new ArrayList<>();
    private static long base;
    private static BinlogPosition end;
    private final AtomicLong serverIds = new AtomicLong(3000);

    @BeforeAll
    static void writeBatchesInSeveralFiles() throws SQLException {
        MariaDbInstance up = UP.instance();
        try (Connection w = up.connect(); Connection admin = up.connect(); Statement st = w.createStatement()) {
            base = scalar(w, "SELECT UNIX_TIMESTAMP()") - 100_000;
            st.execute("SET TIMESTAMP = " + (base - 50));
            st.execute("CREATE DATABASE ts");
            st.execute("CREATE TABLE ts.t (id INT PRIMARY KEY, at BIGINT)");
            // file A: base+0..2 | file B: base+10..12 | file C: base+20..22 | file D: nothing | file E: base+30..32
            for (int batch = 0; batch < 4; batch++) {
                long t0 = base + 10L * batch;
                write(w, t0, "INSERT INTO ts.t VALUES (" + (t0 - base) * 10 + ", " + t0 + ")");
                // a multi-statement transaction
                w.setAutoCommit(false);
                record(w, t0 + 1);
                st.execute("SET TIMESTAMP = " + (t0 + 1));
                st.execute("INSERT INTO ts.t VALUES (" + ((t0 - base) * 10 + 1) + ", " + (t0 + 1) + ")");
                st.execute("SAVEPOINT s");
                st.execute("UPDATE ts.t SET at = at + 0 WHERE id = " + (t0 - base) * 10);
                w.commit();
                w.setAutoCommit(true);
                // a standalone statement (DDL)
                write(w, t0 + 2, "CREATE TABLE ts.d" + batch + " (k INT PRIMARY KEY)");
                flush(admin);
                if (batch == 2) {
                    flush(admin);
                }
            }
            st.execute("SET TIMESTAMP = DEFAULT");
            end = position(w);
            try (ResultSet rs = admin.createStatement().executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    FILES.add(rs.getString(1));
                }
            }
        }
    }

    private BinlogTimeSearch search() {
        MariaDbInstance up = UP.instance();
        return new BinlogTimeSearch(new DbConfig(up.host(), up.port(), up.user(), up.password(), Map.of()), "s1",
                serverIds.incrementAndGet());
    }

    @Test
    @Order(1)
    void eachTimeFindsTheFirstTransactionAtOrAfterIt() {
        for (long t : BEFORE.keySet()) {
            BinlogTimeSearch.Found f = search().find(t, "t" + t);
            assertThat(f.position()).as("transaction written at base+%d", t - base).isEqualTo(BEFORE.get(t));
            assertThat(f.timestamp()).isEqualTo(t);
        }
        // between transactions, files, and across the file without transactions
        assertThat(search().find(base + 5, "").position()).isEqualTo(BEFORE.get(base + 10));
        assertThat(search().find(base + 9, "").position()).isEqualTo(BEFORE.get(base + 10));
        assertThat(search().find(base + 13, "").position()).isEqualTo(BEFORE.get(base + 20));
        BinlogTimeSearch.Found acrossEmpty = search().find(base + 23, "");
        assertThat(acrossEmpty.position()).isEqualTo(BEFORE.get(base + 30));
        assertThat(BEFORE.get(base + 30).file()).isNotEqualTo(next(BEFORE.get(base + 20).file()));
        // later than every event but not in the future: the end, where the next transaction will begin
        BinlogTimeSearch.Found atEnd = search().find(base + 33, "");
        assertThat(atEnd.timestamp()).isNull();
        assertThat(atEnd.position()).isEqualTo(end);
        // few binlog reads: halving over the files, then one scan
        assertThat(acrossEmpty.probes()).isLessThanOrEqualTo(4);
    }

    @Test
    @Order(2)
    void aTimeBeforeEveryBinlogStartsAtTheFirstWhenNothingWasPurged() {
        assertThat(FILES.get(0)).endsWith(".000001");
        BinlogTimeSearch.Found f = search().find(base - 10_000, "");
        assertThat(f.position().file()).isEqualTo(FILES.get(0));
        assertThat(f.timestamp()).isLessThanOrEqualTo(base - 50);
    }

    @Test
    @Order(3)
    void aTimeInTheFutureIsTooLate() {
        assertThatThrownBy(() -> search().find(base + 200_000, "later"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_START_TIME_TOO_LATE))
                .hasMessageContaining("too late");
    }

    @Test
    @Order(4)
    void aTimeWhoseBinlogWasPurgedIsRefused() throws SQLException {
        String third = BEFORE.get(base + 20).file();
        try (Connection c = UP.instance().connect(); Statement st = c.createStatement()) {
            st.execute("PURGE BINARY LOGS TO '" + third + "'");
        }
        assertThatThrownBy(() -> search().find(base + 15, "base+15"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNC_START_TIME_PURGED))
                .hasMessageContaining("oldest binlog " + third).hasMessageContaining("purged");
        // a time within what is left still works
        assertThat(search().find(base + 21, "").position()).isEqualTo(BEFORE.get(base + 21));
        assertThat(search().find(base + 25, "").position()).isEqualTo(BEFORE.get(base + 30));
        // the oldest transaction's own second is not enough: the purged file may have ended with events of that second
        assertThatThrownBy(() -> search().find(base + 20, "base+20")).isInstanceOf(DmException.class)
                .hasMessageContaining("purged");
    }

    private static void write(Connection w, long at, String sql) throws SQLException {
        record(w, at);
        try (Statement st = w.createStatement()) {
            st.execute("SET TIMESTAMP = " + at);
            st.execute(sql);
        }
    }

    private static void record(Connection w, long at) throws SQLException {
        BEFORE.put(at, position(w));
    }

    private static BinlogPosition position(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new BinlogPosition(rs.getString(1), rs.getLong(2), gtid(c));
        }
    }

    private static String gtid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Rotates, then waits until MariaDB has written the new file's Binlog_checkpoint event: a background thread
     * appends it once the previous file's transactions are durable, so under load it can land after the position
     * {@link #record} reads, and the first transaction would then start later than recorded.
     */
    private static void flush(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("FLUSH BINARY LOGS");
            String file = position(admin).file();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!hasCheckpoint(st, file)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no Binlog_checkpoint event in " + file + " after 30 s");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static boolean hasCheckpoint(Statement st, String file) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
            while (rs.next()) {
                if ("Binlog_checkpoint".equalsIgnoreCase(rs.getString("Event_type"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String next(String file) {
        BinlogPosition p = new BinlogPosition(file, 4, "");
        return String.format("%s%06d", file.substring(0, file.lastIndexOf('.') + 1), p.fileSequence() + 1);
    }
}
