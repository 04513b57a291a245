package io.dmjava.bench;

import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incremental replication, measured in one run against native MariaDB parallel replication on the same
 * binlog: sysbench {@code oltp_write_only} then {@code oltp_insert} at full speed on the upstream, then (a)
 * our sync unit (SyncMain in its own JVM, {@code repl_threads} = T, {@code repl_batch} 100) and (b) a MariaDB
 * replica ({@code slave_parallel_threads} = T, optimistic) each catch up on that binlog from the same
 * position into their own downstream. Then a lag run: {@code oltp_write_only} at half the measured upstream
 * rate while our sync unit (the same, still running) stays live, with a heartbeat row written upstream every 100 ms and its age
 * downstream sampled every 200 ms. Both replicas are finally compared with the upstream (CHECKSUM TABLE).
 */
public final class ReplicationBench {
    private static final String SCHEMA = "sbtest";
    private static final String HEARTBEAT = SCHEMA + ".dm_bench_heartbeat";
    private static final String TASK = "bench";
    private static final int MARKER_ROW = 1;
    private static final int HEARTBEAT_ROW = 2;
    private static final Pattern TPS = Pattern.compile("transactions:\\s+(\\d+)\\s+\\(([\\d.]+) per sec");

    record Sysbench(long txns, double tps) {
    }

    record Range(String file, long pos, long gtidSeq) {
    }

    private ReplicationBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv, Map.of("seconds", "60", "threads", "4", "tables", "8",
                "table-size", "100000"));
        int seconds = Integer.parseInt(args.get("seconds"));
        int threads = Integer.parseInt(args.get("threads"));
        int tables = Integer.parseInt(args.get("tables"));
        long tableSize = Long.parseLong(args.get("table-size"));
        // Generous but finite: nothing below waits longer than this for a replica.
        Duration catchUpLimit = Duration.ofSeconds(Math.max(600, 30L * seconds));
        Path dir = ProcessLauncher.createTempDir("dm-bench-repl");
        try (MariaDbInstance up = MariaDbInstance.startUpstream(); MariaDbInstance ours = MariaDbInstance.startDownstream();
             MariaDbInstance nat = MariaDbInstance.startDownstream()) {
            System.out.printf("Upstream %d, downstream (DM for Java) %d, downstream (native replica) %d; %d tables x %,d rows, "
                    + "%d threads, %d s per load%n", up.port(), ours.port(), nat.port(), tables, tableSize, threads, seconds);
            up.execute("CREATE DATABASE " + SCHEMA);
            sysbench(up, dir, "oltp_write_only", "prepare", tables, tableSize, Math.min(threads, tables), 0, 0);
            up.execute("CREATE TABLE " + HEARTBEAT + " (id INT PRIMARY KEY, ts BIGINT NOT NULL)",
                    "INSERT INTO " + HEARTBEAT + " VALUES (" + MARKER_ROW + ", 0), (" + HEARTBEAT_ROW + ", 0)");
            copySchema(up, List.of(ours, nat), dir.resolve("copy"));
            Range start = position(up);
            System.out.printf("Prepared and copied to both downstreams; replication starts at %s:%d%n%n", start.file(), start.pos());

            System.out.println("== Upstream load (full speed) ==");
            Sysbench wo = sysbench(up, dir, "oltp_write_only", "run", tables, tableSize, threads, seconds, 0);
            System.out.printf("oltp_write_only: %,d txns, %,.0f txn/s%n", wo.txns(), wo.tps());
            Sysbench ins = sysbench(up, dir, "oltp_insert", "run", tables, tableSize, threads, seconds, 0);
            System.out.printf("oltp_insert:     %,d txns, %,.0f txn/s%n", ins.txns(), ins.tps());
            up.execute("UPDATE " + HEARTBEAT + " SET ts = 1 WHERE id = " + MARKER_ROW);
            Range end = position(up);
            long txns = end.gtidSeq() - start.gtidSeq();
            long rows = binlogRows(up, start);
            System.out.printf("binlog range: %,d transactions, %,d row changes, %.1f MB%n%n", txns, rows,
                    binlogBytes(up, start, end) / 1e6);
            Map<String, String> upSums = checksums(up);

            System.out.println("== (a) DM for Java sync unit catching up ==");
            Path data = dir.resolve("sync-data");
            Files.createDirectories(data);
            long launched = System.nanoTime();
            ManagedProcess sync = launchSync(up, ours, dir, data, start, threads);
            awaitStarted(ours, sync);
            long started = System.nanoTime();
            awaitCaughtUp(ours, 1, upSums, catchUpLimit, () -> sync.isAlive() ? null : "sync unit exited:\n" + sync.tailLog(40));
            long done = System.nanoTime();
            double oursSec = (done - started) / 1e9;
            System.out.printf("caught up in %.1f s after its start (%.1f s incl. JVM start): %,.0f rows/s, %,.0f txn/s%n%n",
                    oursSec, (done - launched) / 1e9, rows / oursSec, txns / oursSec);
            // It keeps running (idle) through (b), and stays warm for the lag run, as a live task would.

            System.out.printf("== (b) native MariaDB parallel replication catching up (slave_parallel_threads=%d, optimistic) ==%n",
                    threads);
            nat.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + up.port() + ", MASTER_USER='root', "
                            + "MASTER_PASSWORD='', MASTER_LOG_FILE='" + start.file() + "', MASTER_LOG_POS=" + start.pos()
                            + ", MASTER_USE_GTID=no",
                    "SET GLOBAL slave_parallel_threads=" + threads, "SET GLOBAL slave_parallel_mode='optimistic'");
            long natStart = System.nanoTime();
            nat.execute("START SLAVE");
            awaitCaughtUp(nat, 1, upSums, catchUpLimit, () -> replicaError(nat));
            double natSec = (System.nanoTime() - natStart) / 1e9;
            nat.execute("STOP SLAVE");
            System.out.printf("caught up in %.1f s: %,.0f rows/s, %,.0f txn/s%n%n", natSec, rows / natSec, txns / natSec);

            System.out.println("== Lag run: our sync unit live, oltp_write_only at half the max upstream rate ==");
            int rate = (int) Math.max(1, Math.round(wo.tps() / 2));
            ManagedProcess live = sync;
            List<Long> lags = Collections.synchronizedList(new ArrayList<>());
            Sysbench lagLoad;
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
            AtomicReference<Throwable> timerFailure = new AtomicReference<>();
            try (Connection hbUp = up.connect(); Connection hbDown = ours.connect();
                 PreparedStatement beat = hbUp.prepareStatement("UPDATE " + HEARTBEAT + " SET ts = ? WHERE id = " + HEARTBEAT_ROW);
                 PreparedStatement read = hbDown.prepareStatement("SELECT ts FROM " + HEARTBEAT + " WHERE id = " + HEARTBEAT_ROW)) {
                try {
                    timers.scheduleAtFixedRate(() -> guard(timerFailure, () -> {
                        beat.setLong(1, System.currentTimeMillis());
                        beat.executeUpdate();
                    }), 0, 100, TimeUnit.MILLISECONDS);
                    awaitHeartbeat(read, live, Duration.ofSeconds(120));
                    timers.scheduleAtFixedRate(() -> guard(timerFailure, () -> {
                        try (ResultSet rs = read.executeQuery()) {
                            rs.next();
                            lags.add(Math.max(0, System.currentTimeMillis() - rs.getLong(1)));
                        }
                    }), 0, 200, TimeUnit.MILLISECONDS);
                    lagLoad = sysbench(up, dir, "oltp_write_only", "run", tables, tableSize, threads, seconds, rate);
                } finally {
                    // Before the connections close, and not shutdownNow: a running beat or sample ends normally.
                    timers.shutdown();
                    if (!timers.awaitTermination(30, TimeUnit.SECONDS)) {
                        timers.shutdownNow();
                    }
                }
            }
            if (timerFailure.get() != null) {
                throw new IllegalStateException("heartbeat writer or lag sampler failed", timerFailure.get());
            }
            if (!live.isAlive()) {
                throw new IllegalStateException("sync unit exited during the lag run:\n" + live.tailLog(40));
            }
            List<Long> sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            System.out.printf("upstream: --rate=%d, achieved %,.0f txn/s (%,d txns); %d lag samples%n", rate, lagLoad.tps(),
                    lagLoad.txns(), sorted.size());
            long over = sorted.stream().filter(l -> l >= 1000).count();
            System.out.printf("lag p50 %d ms, p99 %d ms, max %d ms; %d samples >= 1 s%n%n", pct(sorted, 50), pct(sorted, 99),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), over);

            System.out.println("== Final check ==");
            up.execute("UPDATE " + HEARTBEAT + " SET ts = 2 WHERE id = " + MARKER_ROW);
            Map<String, String> finalSums = checksums(up);
            awaitCaughtUp(ours, 2, finalSums, catchUpLimit, () -> live.isAlive() ? null : "sync unit exited:\n" + live.tailLog(40));
            stopSync(live, data);
            nat.execute("START SLAVE");
            awaitCaughtUp(nat, 2, finalSums, catchUpLimit, () -> replicaError(nat));
            nat.execute("STOP SLAVE");
            System.out.print("DM for Java replica: ");
            Peers.verify(up, ours, SCHEMA, finalSums.size());
            System.out.print("native replica:      ");
            Peers.verify(up, nat, SCHEMA, finalSums.size());

            System.out.println();
            System.out.printf("Summary (%d threads, %d tables x %,d rows, %d s per load)%n", threads, tables, tableSize, seconds);
            System.out.printf("  upstream max: oltp_write_only %,.0f txn/s, oltp_insert %,.0f txn/s%n", wo.tps(), ins.tps());
            System.out.printf("  catch-up on %,d txns / %,d rows:%n", txns, rows);
            System.out.printf("    %-36s %8.1f s %,10.0f rows/s %,9.0f txn/s%n", "DM for Java (repl_batch 100)", oursSec,
                    rows / oursSec, txns / oursSec);
            System.out.printf("    %-36s %8.1f s %,10.0f rows/s %,9.0f txn/s%n", "MariaDB parallel replication", natSec,
                    rows / natSec, txns / natSec);
            System.out.printf("  ratio ours/native (speed): %.2fx (goal >= 1.2x)%n", natSec / oursSec);
            System.out.printf("  lag at %d txn/s: p50 %d ms, p99 %d ms (goal p99 < 1000 ms)%n", rate, pct(sorted, 50), pct(sorted, 99));
        } finally {
            keepLog(dir.resolve("sync.log"), Path.of("bench", "target", "replication-sync.log"));
            ProcessLauncher.deleteTempDir(dir);
        }
        System.exit(0);
    }

    // ---- upstream load ----

    private static Sysbench sysbench(MariaDbInstance up, Path dir, String test, String command, int tables, long tableSize,
                                     int threads, int seconds, int rate) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + up.port(), "--mysql-user=root", "--mysql-password=", "--mysql-db=" + SCHEMA,
                "--tables=" + tables, "--table-size=" + tableSize, "--threads=" + threads));
        if (command.equals("run")) {
            cmd.addAll(List.of("--time=" + seconds, "--report-interval=0", "--rate=" + rate));
        }
        cmd.add(command);
        Path log = dir.resolve("sysbench-" + test + "-" + command + ".log");
        Files.deleteIfExists(log);
        ManagedProcess p = ProcessLauncher.launch("sysbench", cmd, dir, log, Map.of());
        long limit = command.equals("run") ? seconds + 120L : 3600L;
        if (!p.waitForExit(Duration.ofSeconds(limit))) {
            p.kill();
            throw new IllegalStateException("sysbench " + test + " " + command + " did not finish within " + limit + " s");
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("sysbench " + test + " " + command + " exited with " + p.exitValue() + ":\n" + out);
        }
        if (!command.equals("run")) {
            return new Sysbench(0, 0);
        }
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no transaction count in the sysbench output:\n" + out);
        }
        return new Sysbench(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Every table of the schema with its rows, into each downstream (SELECT INTO OUTFILE + LOAD DATA LOCAL). */
    private static void copySchema(MariaDbInstance up, List<MariaDbInstance> downs, Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> creates = new LinkedHashMap<>();
        try (Connection c = up.connect(); Statement s = c.createStatement()) {
            for (String t : checksums(up).keySet()) {
                try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + SCHEMA + "." + t)) {
                    rs.next();
                    creates.put(t, rs.getString(2));
                }
                s.execute("SELECT * FROM " + SCHEMA + "." + t + " INTO OUTFILE '" + dir.resolve(t + ".tsv") + "'");
            }
        }
        for (MariaDbInstance down : downs) {
            down.execute("CREATE DATABASE " + SCHEMA);
            try (Connection c = down.connect(); Statement s = c.createStatement()) {
                s.execute("USE " + SCHEMA);
                for (var e : creates.entrySet()) {
                    s.execute(e.getValue());
                    s.execute("LOAD DATA LOCAL INFILE '" + dir.resolve(e.getKey() + ".tsv") + "' INTO TABLE " + e.getKey());
                }
            }
        }
    }

    private static Range position(MariaDbInstance db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String file;
            long pos;
            try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                String g = rs.getString(1);
                return new Range(file, pos, Long.parseLong(g.substring(g.lastIndexOf('-') + 1)));
            }
        }
    }

    /** Row changes in the upstream's binlog from {@code start} to its end, counted by decoding it with mariadb-binlog. */
    private static long binlogRows(MariaDbInstance up, Range start) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mariadb-binlog", "--base64-output=decode-rows", "--verbose",
                "--start-position=" + start.pos()));
        for (String f : binlogFiles(up, start)) {
            cmd.add(up.directory().resolve("binlog").resolve(f).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long rows = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("### INSERT INTO ") || line.startsWith("### UPDATE ") || line.startsWith("### DELETE FROM ")) {
                    rows++;
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("mariadb-binlog failed: " + cmd);
        }
        return rows;
    }

    private static long binlogBytes(MariaDbInstance up, Range start, Range end) throws SQLException {
        long bytes = 0;
        try (Connection c = up.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                String f = rs.getString(1);
                if (f.compareTo(start.file()) >= 0 && f.compareTo(end.file()) <= 0) {
                    bytes += (f.equals(end.file()) ? end.pos() : rs.getLong(2)) - (f.equals(start.file()) ? start.pos() : 0);
                }
            }
        }
        return bytes;
    }

    private static List<String> binlogFiles(MariaDbInstance up, Range start) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = up.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                if (rs.getString(1).compareTo(start.file()) >= 0) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    // ---- replicas ----

    private static ManagedProcess launchSync(MariaDbInstance up, MariaDbInstance down, Path dir, Path data, Range start,
                                             int threads) throws Exception {
        Files.deleteIfExists(data.resolve("stop"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessLauncher.launch("sync", List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.dmjava.worker.sync.SyncMain", Integer.toString(up.port()), Integer.toString(down.port()), data.toString(),
                TASK, SCHEMA, start.file(), Long.toString(start.pos()), Integer.toString(threads), "100", "30000"),
                dir, dir.resolve("sync.log"), Map.of());
    }

    /** Waits for the unit's first checkpoint (saved once it has its table structures, right before it streams). */
    private static void awaitStarted(MariaDbInstance down, ManagedProcess sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (Connection c = down.connect(); Statement s = c.createStatement()) {
            while (true) {
                if (!sync.isAlive()) {
                    throw new IllegalStateException("sync unit exited:\n" + sync.tailLog(40));
                }
                boolean exists;
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dm_meta' "
                        + "AND TABLE_NAME = '" + TASK + "_syncer_checkpoint'")) {
                    exists = rs.next() && rs.getLong(1) > 0;
                }
                if (exists) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dm_meta." + TASK + "_syncer_checkpoint WHERE is_global")) {
                        if (rs.next() && rs.getLong(1) > 0) {
                            return;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sync unit saved no checkpoint within 120 s:\n" + sync.tailLog(40));
                }
                Thread.sleep(20);
            }
        }
    }

    private static void stopSync(ManagedProcess sync, Path data) throws Exception {
        Files.createFile(data.resolve("stop"));
        if (!sync.waitForExit(Duration.ofSeconds(120))) {
            sync.kill();
            throw new IllegalStateException("sync unit did not stop within 120 s:\n" + sync.tailLog(40));
        }
        if (sync.exitValue() != 0) {
            throw new IllegalStateException("sync unit exited with " + sync.exitValue() + ":\n" + sync.tailLog(40));
        }
    }

    /**
     * Caught up = the marker row (written upstream after the load) has arrived and every table's checksum
     * equals the upstream's. Polled every 50 ms; checksums only once the marker is there.
     */
    private static void awaitCaughtUp(MariaDbInstance down, long marker, Map<String, String> upSums, Duration limit,
                                      Supplier<String> failure) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection c = down.connect(); Statement s = c.createStatement()) {
            while (true) {
                String f = failure.get();
                if (f != null) {
                    throw new IllegalStateException(f);
                }
                try (ResultSet rs = s.executeQuery("SELECT ts FROM " + HEARTBEAT + " WHERE id = " + MARKER_ROW)) {
                    if (rs.next() && rs.getLong(1) >= marker && checksums(c, upSums.keySet()).equals(upSums)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(down + " not caught up within " + limit);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String replicaError(MariaDbInstance replica) {
        try (Connection c = replica.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return "no replica status";
            }
            String io = rs.getString("Last_IO_Error");
            String sql = rs.getString("Last_SQL_Error");
            if ((io != null && !io.isEmpty()) || (sql != null && !sql.isEmpty())) {
                return "replica failed: IO: " + io + "; SQL: " + sql;
            }
            return null;
        } catch (SQLException e) {
            return "cannot read the replica status: " + e.getMessage();
        }
    }

    private static void awaitHeartbeat(PreparedStatement read, ManagedProcess sync, Duration limit) throws Exception {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (!sync.isAlive()) {
                throw new IllegalStateException("sync unit exited:\n" + sync.tailLog(40));
            }
            try (ResultSet rs = read.executeQuery()) {
                if (rs.next() && rs.getLong(1) >= since) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no heartbeat arrived downstream within " + limit + ":\n" + sync.tailLog(40));
            }
            Thread.sleep(50);
        }
    }

    // ---- helpers ----

    /** CHECKSUM TABLE of every table of the schema, by name. */
    private static Map<String, String> checksums(MariaDbInstance db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='" + SCHEMA
                     + "' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return checksums(c, names);
        }
    }

    private static Map<String, String> checksums(Connection c, java.util.Collection<String> tables) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE "
                + String.join(", ", tables.stream().map(t -> SCHEMA + "." + t).toList()))) {
            while (rs.next()) {
                out.put(rs.getString(1).substring(SCHEMA.length() + 1), rs.getString(2));
            }
        }
        return out;
    }

    /** The sync unit's log outlives the scratch dir, for a look after a failure. */
    private static void keepLog(Path log, Path to) {
        try {
            if (Files.exists(log) && Files.isDirectory(to.getParent())) {
                Files.copy(log, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("sync unit log: " + to);
            }
        } catch (java.io.IOException e) {
            System.out.println("could not keep the sync unit log: " + e.getMessage());
        }
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    interface SqlAction {
        void run() throws Exception;
    }

    private static void guard(AtomicReference<Throwable> failure, SqlAction action) {
        try {
            action.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            throw new IllegalStateException(t);
        }
    }
}
