package io.dmjava.bench;

import io.dmjava.testsupport.MariaDbInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The peers we measure against, and the data they all work on. */
final class Peers {
    record Timing(double dump, double load) {
        double total() {
            return dump + load;
        }
    }

    private Peers() {
    }

    static void sysbenchPrepare(MariaDbInstance up, int tables, long rows, int threads) throws Exception {
        up.execute("CREATE DATABASE sbtest");
        run(List.of("sysbench", "oltp_read_write", "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + up.port(), "--mysql-user=root", "--mysql-password=", "--mysql-db=sbtest",
                "--tables=" + tables, "--table-size=" + rows, "--threads=" + Math.min(threads, tables), "prepare"));
    }

    static double dataMegabytes(MariaDbInstance db, String schema) throws Exception {
        db.execute("ANALYZE TABLE " + String.join(",", tableNames(db, schema).stream().map(t -> schema + "." + t).toList()));
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(DATA_LENGTH) FROM information_schema.TABLES WHERE TABLE_SCHEMA='" + schema + "'")) {
            rs.next();
            return rs.getLong(1) / 1e6;
        }
    }

    /** Runs mydumper then myloader, adding their CPU-seconds to {@code cpu}. */
    static Timing mydumperMyloader(MariaDbInstance up, MariaDbInstance down, int threads, Path dir, CpuSeconds cpu)
            throws Exception {
        long t0 = System.nanoTime();
        runMeasured(cpu, List.of("mydumper", "-h", "127.0.0.1", "-P", String.valueOf(up.port()), "-u", "root", "-B", "sbtest",
                "-t", String.valueOf(threads), "--rows", "100000", "-o", dir.toString()));
        double dump = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        runMeasured(cpu, List.of("myloader", "-h", "127.0.0.1", "-P", String.valueOf(down.port()), "-u", "root", "-d", dir.toString(),
                "-t", String.valueOf(threads), "-o"));
        double load = (System.nanoTime() - t1) / 1e9;
        System.out.printf("mydumper %.1f s + myloader %.1f s%n", dump, load);
        return new Timing(dump, load);
    }

    /** Exports every table to TSV (not timed), then times a parallel LOAD DATA LOCAL INFILE of them. */
    static double plainLoadData(MariaDbInstance up, MariaDbInstance down, int tables, int threads, Path dir, CpuSeconds cpu)
            throws Exception {
        Files.createDirectories(dir);
        List<String> names = tableNames(up, "sbtest");
        for (String t : names) {
            Path f = dir.resolve(t + ".tsv");
            up.execute("SELECT * FROM sbtest." + t + " INTO OUTFILE '" + f + "'");
        }
        down.execute("DROP DATABASE IF EXISTS sbtest", "CREATE DATABASE sbtest");
        try (Connection c = up.connect(); Statement s = c.createStatement()) {
            for (String t : names) {
                try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE sbtest." + t)) {
                    rs.next();
                    down.execute("USE sbtest", rs.getString(2));
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        cpu.start();
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (String t : names) {
            done.add(pool.submit(() -> {
                try (Connection c = down.connect(); Statement s = c.createStatement()) {
                    s.execute("SET unique_checks=0, foreign_key_checks=0");
                    s.execute("LOAD DATA LOCAL INFILE '" + dir.resolve(t + ".tsv") + "' INTO TABLE sbtest." + t);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        cpu.stop();
        pool.shutdown();
        System.out.printf("plain LOAD DATA %.1f s%n", s);
        return s;
    }

    /** Fails unless every table has the same row count and checksum on both sides. */
    static void verify(MariaDbInstance up, MariaDbInstance down, String schema, int tables) throws Exception {
        for (String t : tableNames(up, schema)) {
            String a = scalar(up, "CHECKSUM TABLE " + schema + "." + t + " EXTENDED", 2);
            String b = scalar(down, "CHECKSUM TABLE " + schema + "." + t + " EXTENDED", 2);
            if (!a.equals(b)) {
                throw new IllegalStateException("table " + t + " differs: upstream checksum " + a + ", downstream " + b);
            }
        }
        System.out.printf("verified: %d tables identical (CHECKSUM TABLE)%n", tables);
    }

    private static List<String> tableNames(MariaDbInstance db, String schema) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='" + schema + "' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String scalar(MariaDbInstance db, String sql, int col) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(col);
        }
    }

    /** Runs a tool and adds the CPU-seconds it (and whatever it waited for) used, under its name. */
    private static void runMeasured(CpuSeconds cpu, List<String> cmd) throws IOException, InterruptedException {
        Path stat = Files.createTempFile("dm-bench-" + cmd.get(0), ".stat");
        try {
            run(CpuSeconds.measuredCommand(cmd, stat), cmd.get(0));
            cpu.add(cmd.get(0), CpuSeconds.ofChildren(stat));
        } finally {
            Files.deleteIfExists(stat);
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        run(cmd, cmd.get(0));
    }

    private static void run(List<String> cmd, String name) throws IOException, InterruptedException {
        Path log = Files.createTempFile("dm-bench-" + name, ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = p.waitFor();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + exit + ":\n" + out);
        }
    }
}
