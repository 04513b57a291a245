package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.worker.fullmigration.TableComparator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One upstream transaction of a million rows, replicated by a sync JVM whose heap is capped far below what
 * the transaction's rows (or their causality keys) would take if anything held them all: the unit must
 * stream it. The JVM is SIGKILLed halfway through the transaction's apply and restarted, which exercises
 * the queue marks inside a transaction that spans thousands of downstream commits. Prints the live heap's
 * peak as measured after each garbage collection.
 */
class LargeTransactionTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final int ROWS = 1_000_000;
    /** Far below the ~150 MB that a million rows' keys alone would hold. */
    static final String HEAP_CAP = "-Xmx96m";
    static final List<String> SETUP = List.of("CREATE DATABASE big",
            "CREATE TABLE big.sbtest (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k (k))");
    static final TableName TABLE = new TableName("big", "sbtest");
    static final Pattern HEAP = Pattern.compile("HEAP peak_after_gc_mb=(\\d+) max_mb=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aMillionRowTransactionStreamsThroughABoundedHeapAndSurvivesAKill() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute(SETUP.toArray(String[]::new));
        DOWN.instance().execute(SETUP.toArray(String[]::new));
        String[] start = masterStatus(up);
        up.execute("INSERT INTO big.sbtest SELECT seq, seq % 10007, CONCAT('c-', seq, '-', REPEAT('x', 100)), "
                + "CONCAT('p-', seq) FROM big.seq_1_to_" + ROWS);
        Path log = dir.resolve("child.log");
        long killedAt;
        try (Connection d = DOWN.instance().connect(); Connection u = up.connect()) {
            long t0 = System.nanoTime();
            ManagedProcess first = launch(start, log);
            killedAt = awaitCount(d, ROWS / 3, first, Duration.ofMinutes(5));
            double firstSeconds = (System.nanoTime() - t0) / 1e9;
            first.kill();
            String firstRun = first.tailLog(400);
            long t1 = System.nanoTime();
            ManagedProcess last = launch(start, log);
            awaitCount(d, ROWS, last, Duration.ofMinutes(8));
            double lastSeconds = (System.nanoTime() - t1) / 1e9;
            up.execute("UPDATE big.sbtest SET k = k + 1, pad = CONCAT(pad, '-u') WHERE id % 4 = 0");
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            String diff;
            while (!(diff = difference(u, d)).isEmpty() && System.nanoTime() < deadline && last.isAlive()) {
                Thread.sleep(2000);
            }
            assertThat(diff).as("after the %d-row update; child:\n%s", ROWS / 4, last.tailLog(30)).isEmpty();
            Files.createFile(dir.resolve("data").resolve("stop"));
            assertThat(last.waitForExit(Duration.ofSeconds(60))).as(last.tailLog(20)).isTrue();
            assertThat(last.exitValue()).as(last.tailLog(20)).isZero();
            long peak = Math.max(peakMb(firstRun), peakMb(last.tailLog(400)));
            System.out.printf("large transaction: %,d rows inserted in one transaction and %,d updated in another, "
                    + "sync JVM SIGKILLed at %,d rows applied and restarted, 0 differences; live heap peak after GC %d MB "
                    + "(heap capped by %s); first run %.1f s to %,d rows, restarted run %.1f s for the rest (JVM start included)%n",
                    ROWS, ROWS / 4, killedAt, peak, HEAP_CAP, firstSeconds, killedAt, lastSeconds);
            assertThat(peak).as("the children printed their heap peaks").isPositive();
        }
    }

    private String difference(Connection u, Connection d) throws SQLException {
        long up = TableComparator.checksum(u, TABLE);
        long down = TableComparator.checksum(d, TABLE);
        return up == down ? "" : "checksum " + up + " upstream, " + down + " downstream, " + count(d) + " rows downstream";
    }

    /** Waits until the downstream holds at least {@code rows} rows; returns the count seen. */
    private static long awaitCount(Connection d, long rows, ManagedProcess child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("sync child exited:\n%s", child.tailLog(40)).isTrue();
            n = count(d);
            if (n >= rows) {
                return n;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("only " + n + " of " + rows + " rows downstream after " + timeout + "; child:\n" + child.tailLog(30));
    }

    private static long peakMb(String childLog) {
        long peak = 0;
        Matcher m = HEAP.matcher(childLog);
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    private ManagedProcess launch(String[] start, Path log) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessLauncher.launch("sync", List.of(java, HEAP_CAP, "-cp", System.getProperty("java.class.path"),
                SyncMain.class.getName(), Integer.toString(UP.instance().port()), Integer.toString(DOWN.instance().port()),
                data.toString(), "big", "big", start[0], start[1], "4", "100", "30000"), dir, log, Map.of());
    }

    private static String[] masterStatus(MariaDbInstance up) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM big.sbtest")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
