package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * SIGKILLs a JVM running the relay unit at random moments while writers commit transactions of random sizes
 * (some larger than the relay writes between two flushes), rotating the upstream's binlog and killing its dump
 * thread in between; after every kill the meta must not be ahead of its file. A last run catches up, and every
 * relay file must then hold exactly the upstream file's events.
 */
class RelayCrashTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsTheRelayEndsEqualToTheUpstream() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE crash", "CREATE TABLE crash.t (id INT PRIMARY KEY, v MEDIUMTEXT)");
        String first = RelayFixtures.binaryLogs(up).get(0);
        Path relayDir = dir.resolve("relay");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong txns = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            Thread t = new Thread(() -> write(up, seed, writing, txns, failure), "writer-" + w);
            t.start();
            writers.add(t);
        }
        Random random = new Random(7);
        Path log = dir.resolve("child.log");
        int truncations = 0;
        try {
            for (int i = 0; i < KILLS; i++) {
                ManagedProcess child = launch(relayDir, first, log);
                Thread.sleep(400 + random.nextInt(1600));
                if (i % 3 == 1) {
                    up.execute("FLUSH BINARY LOGS");
                } else if (i % 3 == 2) {
                    DumpThreads.kill(up);
                }
                Thread.sleep(random.nextInt(800));
                assertThat(child.isAlive()).as("relay child died by itself:\n%s", child.tailLog(40)).isTrue();
                child.kill();
                assertThat(child.waitForExit(Duration.ofSeconds(30))).isTrue();
                Optional<RelayMeta> meta = RelayMeta.read(relayDir);
                if (meta.isPresent()) {
                    long size = Files.size(relayDir.resolve(meta.get().binlogName()));
                    assertThat(size).as("file behind its meta %s", meta.get()).isGreaterThanOrEqualTo(meta.get().binlogPos());
                    if (size > meta.get().binlogPos()) {
                        truncations++;
                    }
                }
            }
        } finally {
            writing.set(false);
            for (Thread t : writers) {
                t.join(30_000);
            }
        }
        assertThat(failure.get()).isNull();
        up.execute("FLUSH BINARY LOGS");
        ManagedProcess last = launch(relayDir, first, log);
        RelayFixtures.awaitMeta(up, relayDir, Duration.ofSeconds(120), () -> last.tailLog(40));
        Files.createFile(dir.resolve("stop"));
        assertThat(last.waitForExit(Duration.ofSeconds(60))).as(last.tailLog(20)).isTrue();
        assertThat(last.exitValue()).as(last.tailLog(20)).isZero();
        List<String> files = RelayFixtures.binaryLogs(up);
        long events = RelayFixtures.assertSameEvents(RelayFixtures.upstreamBinlogDir(up), relayDir, files);
        for (String f : BinlogNames.list(relayDir)) {
            RelayFixtures.mariadbBinlog(relayDir.resolve(f));
        }
        System.out.printf("relay crash test: %d upstream transactions, %d SIGKILLs (%d with written data past the meta),"
                + " %d events in %d files equal to the upstream's%n", txns.get(), KILLS, truncations, events, files.size());
    }

    private ManagedProcess launch(Path relayDir, String first, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessLauncher.launch("relay", List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                RelayMain.class.getName(), Integer.toString(UP.instance().port()), relayDir.toString(), first,
                "4000000002"), dir, log, Map.of());
    }

    /** Transactions of 1 to 20 statements, now and then one with a 256 KiB value. */
    private static void write(MariaDbInstance up, int seed, AtomicBoolean writing, AtomicLong txns, AtomicReference<Throwable> failure) {
        Random r = new Random(seed);
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            while (writing.get()) {
                int statements = 1 + r.nextInt(20);
                try {
                    for (int i = 0; i < statements; i++) {
                        int id = seed * 1_000_000 + r.nextInt(5000);
                        int size = r.nextInt(100) == 0 ? 256 << 10 : r.nextInt(300);
                        st.execute("REPLACE INTO crash.t VALUES (" + id + ", REPEAT('" + (char) ('a' + r.nextInt(26)) + "', " + size + "))");
                    }
                    c.commit();
                    txns.incrementAndGet();
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                        throw e;
                    }
                    c.rollback();
                }
                Thread.sleep(r.nextInt(3));
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }
}
