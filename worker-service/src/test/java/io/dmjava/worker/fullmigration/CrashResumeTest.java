package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.worker.dump.DumpMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a JVM running dump + load at several points (during the dump, twice during the load) and checks
 * that the run that finally completes leaves exactly the upstream rows and never re-imported a chunk.
 */
class CrashResumeTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final Pattern IMPORTED = Pattern.compile("imported chunk (t\\d+\\.\\d+) ");
    private static final List<String> TABLES = List.of("sbtest", "strkey", "nopk");

    @TempDir
    Path dir;

    @Test
    void killedAnywhereTheMigrationEndsExactAndNoChunkIsImportedTwice() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE crash",
                "CREATE TABLE crash.sbtest (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL,"
                        + " KEY k (k))",
                "INSERT INTO crash.sbtest SELECT seq, seq * 7919 % 100000, REPEAT(MD5(seq), 3), REPEAT(SHA1(seq), 1)"
                        + " FROM mysql.seq_1_to_300000",
                "CREATE TABLE crash.strkey (name VARCHAR(40) PRIMARY KEY, v BLOB)",
                "INSERT INTO crash.strkey SELECT CONCAT('name-', MD5(seq)), UNHEX(SHA2(seq, 512)) FROM mysql.seq_1_to_40000",
                "CREATE TABLE crash.nopk (a INT, b VARCHAR(20))",
                "INSERT INTO crash.nopk SELECT seq % 100, CONCAT('dup', seq % 50) FROM mysql.seq_1_to_30000",
                "ANALYZE TABLE crash.sbtest, crash.strkey, crash.nopk");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");

        // 1. Killed during the dump: once a chunk file is complete, before the metadata is written.
        ManagedProcess child = launch(data, log);
        Fixtures.awaitOrFail(child, () -> chunkFiles(data) > 0, "a first chunk file");
        child.kill();
        assertThat(DumpMetadata.read(data)).as("dump must have been killed before it finished").isEmpty();

        // 2. Killed during the load, after a few chunks committed; 3. again, a few chunks later.
        child = launch(data, log);
        Fixtures.awaitOrFail(child, () -> checkpoints() >= 3, "3 committed chunks");
        child.kill();
        long afterFirstKill = checkpoints();
        long total = DumpMetadata.read(data).orElseThrow().tables().stream().mapToLong(t -> t.chunks().size()).sum();
        String snapshot = DumpMetadata.read(data).orElseThrow().snapshotId();
        assertThat(afterFirstKill).as("load must have been killed before it finished").isLessThan(total);

        child = launch(data, log);
        Fixtures.awaitOrFail(child, () -> checkpoints() >= afterFirstKill + 3, "3 more committed chunks");
        child.kill();
        long afterSecondKill = checkpoints();
        assertThat(afterSecondKill).isLessThan(total);

        // 4. The last run completes.
        child = launch(data, log);
        assertThat(child.waitForExit(Duration.ofSeconds(150))).as("last run finishes: %s", child.tailLog(30)).isTrue();
        assertThat(child.exitValue()).as(child.tailLog(30)).isZero();

        assertThat(DumpMetadata.read(data).orElseThrow().snapshotId()).as("the finished dump was reused").isEqualTo(snapshot);
        assertThat(checkpoints()).isEqualTo(total);
        String output = Files.readString(log);
        Map<String, Integer> imports = new HashMap<>();
        Matcher m = IMPORTED.matcher(output);
        while (m.find()) {
            imports.merge(m.group(1), 1, Integer::sum);
        }
        assertThat(imports.values()).as("a chunk logged as imported was imported again").allMatch(n -> n == 1);
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect()) {
            for (String t : TABLES) {
                TableName name = new TableName("crash", t);
                assertThat(count(d, "SELECT COUNT(*) FROM " + name.quoted())).as(t).isEqualTo(count(u, "SELECT COUNT(*) FROM "
                        + name.quoted()));
                assertThat(TableComparator.checksum(d, name)).as(t).isEqualTo(TableComparator.checksum(u, name));
            }
        }
        System.out.printf("crash test: %d chunks; committed at the load kills: %d, %d; chunks logged as imported: %d%n",
                total, afterFirstKill, afterSecondKill, imports.size());
        output.lines().filter(l -> l.startsWith("===") || l.contains("PHASE") || l.contains("DumpUnit")
                || l.contains("LoadUnit --")).map(l -> l.length() > 220 ? l.substring(0, 220) : l).forEach(System.out::println);
    }

    private ManagedProcess launch(Path data, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessLauncher.launch("full-migration", List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FullMigrationMain.class.getName(), Integer.toString(UP.instance().port()),
                Integer.toString(DOWN.instance().port()), data.toString(), "crash", "10000", "2", "crash"),
                dir, log, Map.of());
    }

    private static long chunkFiles(Path data) {
        Path dir = data.resolve("dump").resolve("data");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tsv")).count();
        } catch (IOException e) {
            return 0; // the directory is being reset by the child
        }
    }

    private long checkpoints() {
        try (Connection d = DOWN.instance().connect()) {
            return count(d, "SELECT COUNT(*) FROM dm_meta.crash_loader_checkpoint");
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
