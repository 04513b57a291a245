package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.worker.fullmigration.Fixtures;
import io.dmjava.worker.relay.DumpThreads;
import io.dmjava.worker.relay.RelayOptions;
import io.dmjava.worker.relay.RelayUnit;
import java.nio.file.Files;
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
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a JVM running the sync unit at random moments while writers keep changing tables with a primary
 * key, with only a unique key and with no key at all, restarting it each time; then stops the writers, lets a
 * last run catch up and compares every table: not a row lost, none doubled. Once reading the upstream, once
 * reading a relay (run in this JVM) while the upstream rotates its binlog and the relay's dump thread is killed.
 */
class SyncCrashTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final List<String> SETUP = List.of("CREATE DATABASE crash",
            "CREATE TABLE crash.pk (id INT PRIMARY KEY, k INT NOT NULL, c VARCHAR(60) NOT NULL, KEY k (k))",
            "CREATE TABLE crash.uk (code VARCHAR(30) NOT NULL, n BIGINT, UNIQUE KEY u (code))",
            "CREATE TABLE crash.nopk (a INT, b VARCHAR(30))");
    static final List<TableName> TABLES = List.of(new TableName("crash", "pk"), new TableName("crash", "uk"),
            new TableName("crash", "nopk"));
    static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsTheReplicaEndsExact() throws Exception {
        killAndCompare(null);
    }

    @Test
    void killedAtRandomMomentsWhileReadingTheRelayTheReplicaEndsExact() throws Exception {
        MariaDbInstance up = UP.instance();
        Path relayDir = dir.resolve("relay");
        RelayUnit relay = new RelayUnit(RelayOptions.of("source-1", Fixtures.db(up), relayDir, masterStatus(up)[0], "",
                4000000004L), s -> Optional.empty());
        relay.start();
        try {
            killAndCompare(relay);
        } finally {
            relay.close();
        }
        String logs = Files.readString(dir.resolve("child.log"));
        assertThat(logs).contains("sync input: relay of source source-1");
        assertThat(logs).doesNotContain("binlog stream from");
        System.out.printf("sync crash test (relay): %d sync runs started, %d got to their checkpoint, %d openings of the"
                        + " relay, %d of the upstream; relay reconnected %d times%n", occurrences(logs, "PHASE sync-start"),
                occurrences(logs, "/source-1: starting at"),
                occurrences(logs, "sync input: relay of source"), occurrences(logs, "binlog stream from"), relay.reconnects());
    }

    private static int occurrences(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /** With {@code relay}: the children read its files, and the upstream rotates and kills its dump thread in between. */
    private void killAndCompare(RelayUnit relay) throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("DROP DATABASE IF EXISTS crash");
        DOWN.instance().execute("DROP DATABASE IF EXISTS crash", "DROP DATABASE IF EXISTS dm_meta");
        up.execute(SETUP.toArray(String[]::new));
        DOWN.instance().execute(SETUP.toArray(String[]::new));
        String[] start = masterStatus(up);
        Path relayDir = relay == null ? null : relay.options().dir();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        AtomicLong txns = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            Thread t = new Thread(() -> write(up, seed, writing, txns, writerFailure), "writer-" + w);
            t.start();
            writers.add(t);
        }
        Random random = new Random(11);
        Path log = dir.resolve("child.log");
        int launched = 0;
        try {
            for (int i = 0; i < KILLS; i++) {
                ManagedProcess child = launch(start, log, relayDir);
                launched++;
                Thread.sleep(700 + random.nextInt(2500));
                if (relay != null && i % 3 == 1) {
                    up.execute("FLUSH BINARY LOGS");
                } else if (relay != null && i % 3 == 2) {
                    DumpThreads.kill(up);
                }
                assertThat(child.isAlive()).as("sync child died by itself:\n%s", child.tailLog(40)).isTrue();
                child.kill();
            }
        } finally {
            writing.set(false);
            for (Thread t : writers) {
                t.join(30_000);
            }
        }
        assertThat(writerFailure.get()).isNull();
        ManagedProcess last = launch(start, log, relayDir);
        launched++;
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect()) {
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(120),
                    () -> last.isAlive() ? null : new AssertionError("last sync child exited:\n" + last.tailLog(40)));
            Files.createFile(dir.resolve("data").resolve("stop"));
            assertThat(last.waitForExit(Duration.ofSeconds(60))).as(last.tailLog(20)).isTrue();
            assertThat(last.exitValue()).as(last.tailLog(20)).isZero();
            long rows = 0;
            for (TableName t : TABLES) {
                rows += count(d, t);
            }
            System.out.printf("sync crash test%s: %d upstream transactions, %d runs (%d SIGKILLs), %d rows compared, 0 differences%n",
                    relay == null ? "" : " (relay)", txns.get(), launched, KILLS, rows);
        }
    }

    private ManagedProcess launch(String[] start, Path log, Path relayDir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SyncMain.class.getName(), Integer.toString(UP.instance().port()), Integer.toString(DOWN.instance().port()),
                data.toString(), "crash", "crash", start[0], start[1], "4", "20", "300"));
        if (relayDir != null) {
            cmd.add(relayDir.toString());
        }
        return ProcessLauncher.launch("sync", cmd, dir, log, Map.of());
    }


    /** Random small transactions: inserts, updates (keys included), deletes on all three tables. */
    private static void write(MariaDbInstance up, int seed, AtomicBoolean writing, AtomicLong txns, AtomicReference<Throwable> failure) {
        Random r = new Random(seed);
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            while (writing.get()) {
                int statements = 1 + r.nextInt(8);
                try {
                    for (int i = 0; i < statements; i++) {
                        int id = r.nextInt(2000);
                        switch (r.nextInt(9)) {
                            case 0, 1 -> st.execute("INSERT INTO crash.pk VALUES (" + id + ", " + r.nextInt(100) + ", 'v" + r.nextInt()
                                    + "') ON DUPLICATE KEY UPDATE k = k + 1");
                            case 2 -> st.execute("UPDATE crash.pk SET c = CONCAT(c, 'u'), k = k + 1 WHERE id = " + id);
                            case 3 -> st.execute("UPDATE IGNORE crash.pk SET id = " + (id + 2000 + seed * 3000) + " WHERE id = "
                                    + r.nextInt(2000));
                            case 4 -> st.execute("DELETE FROM crash.pk WHERE k = " + r.nextInt(100) + " LIMIT 2");
                            case 5 -> st.execute("REPLACE INTO crash.uk VALUES ('c" + r.nextInt(500) + "', " + r.nextLong() + ")");
                            case 6 -> st.execute("DELETE FROM crash.uk WHERE code = 'c" + r.nextInt(500) + "'");
                            case 7 -> st.execute("INSERT INTO crash.nopk VALUES (" + r.nextInt(50) + ", 'n" + r.nextInt(20) + "')");
                            default -> st.execute("DELETE FROM crash.nopk WHERE a = " + r.nextInt(50) + " LIMIT 1");
                        }
                    }
                    c.commit();
                    txns.incrementAndGet();
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                        throw e;
                    }
                    c.rollback(); // a deadlock between the two writers: the transaction is simply not there
                }
                Thread.sleep(r.nextInt(3));
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static String[] masterStatus(MariaDbInstance up) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static long count(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
