package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.subtask.PipelinedMigrationMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a JVM whose subtask runner runs the load alongside the dump: once while the dump still runs and
 * chunks are already committed downstream (the restarted dump has a new snapshot, so the load drops what it
 * created and loads again), once while a deferred index is being added after the dump finished (the server
 * finishes or undoes that ALTER; the next run adds what is missing). The run that completes must leave
 * every table with exactly the upstream rows and definition.
 */
class PipelinedCrashTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    private static final List<String> TABLES = List.of("nopk", "sbtest", "strkey", "uk", "zlast");

    @TempDir
    Path dir;

    @Test
    void killedWhileDumpAndLoadRunTogetherOrWhileIndexesAreAddedTheMigrationEndsExact() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE pipe",
                "CREATE TABLE pipe.sbtest (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL,"
                        + " KEY k (k))",
                "INSERT INTO pipe.sbtest SELECT seq, seq * 7919 % 100000, REPEAT(MD5(seq), 3), REPEAT(SHA1(seq), 1)"
                        + " FROM mysql.seq_1_to_300000",
                "CREATE TABLE pipe.strkey (name VARCHAR(40) PRIMARY KEY, v BLOB, w INT, KEY w (w))",
                "INSERT INTO pipe.strkey SELECT CONCAT('name-', MD5(seq)), UNHEX(SHA2(seq, 512)), seq % 1000"
                        + " FROM mysql.seq_1_to_40000",
                "CREATE TABLE pipe.nopk (a INT, b VARCHAR(20), KEY a (a))",
                "INSERT INTO pipe.nopk SELECT seq % 100, CONCAT('dup', seq % 50) FROM mysql.seq_1_to_30000",
                "CREATE TABLE pipe.uk (id INT PRIMARY KEY, u VARCHAR(40) NOT NULL, k INT, UNIQUE KEY u (u), KEY k (k))",
                "INSERT INTO pipe.uk SELECT seq, MD5(seq), seq % 777 FROM mysql.seq_1_to_50000",
                "CREATE TABLE pipe.zlast (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(100) NOT NULL, KEY k (k), KEY kc (k, c))",
                "INSERT INTO pipe.zlast SELECT seq, seq * 31 % 65536, MD5(seq) FROM mysql.seq_1_to_300000",
                "ANALYZE TABLE pipe.sbtest, pipe.strkey, pipe.nopk, pipe.uk, pipe.zlast");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");

        // 1. Killed while the dump runs, after the load committed chunks of it.
        ManagedProcess child = launch(data, log);
        Fixtures.awaitOrFail(child, () -> checkpoints() >= 2 && DumpMetadata.read(data).isEmpty(), "chunks committed during the dump");
        child.kill();
        assertThat(DumpMetadata.read(data)).as("killed before the dump finished").isEmpty();
        long loadedEarly = checkpoints();

        // 2. Killed while an index is being added, the dump finished.
        child = launch(data, log);
        Fixtures.awaitOrFail(child, () -> DumpMetadata.read(data).isPresent() && alterRunning(), "an ALTER TABLE after the dump");
        child.kill();
        String snapshot = DumpMetadata.read(data).orElseThrow().snapshotId();

        // 3. The last run completes.
        child = launch(data, log);
        assertThat(child.waitForExit(Duration.ofSeconds(150))).as("last run finishes: %s", child.tailLog(30)).isTrue();
        assertThat(child.exitValue()).as(child.tailLog(30)).isZero();

        DumpMetadata m = DumpMetadata.read(data).orElseThrow();
        assertThat(m.snapshotId()).as("the finished dump was reused").isEqualTo(snapshot);
        assertThat(checkpoints()).isEqualTo(m.tables().stream().mapToLong(t -> t.chunks().size()).sum());
        String output = Files.readString(log);
        assertThat(output).as("the second run found chunks of the first dump").contains("the dump was taken again");
        try (Connection u = up.connect(); Connection d = DOWN.instance().connect()) {
            for (String t : TABLES) {
                TableName name = new TableName("pipe", t);
                assertThat(TableComparator.diff(TableComparator.rows(u, name), TableComparator.rows(d, name))).as(t).isEmpty();
                assertThat(showCreate(d, name)).as("definition of %s", t).isEqualTo(showCreate(u, name));
            }
        }
        System.out.printf("pipelined crash test: %d chunks committed before the first kill, %d in all%n", loadedEarly,
                checkpoints());
        output.lines().filter(l -> l.contains("PHASE") || l.contains("taken again") || l.contains("added the indexes"))
                .map(l -> l.length() > 220 ? l.substring(0, 220) : l).forEach(System.out::println);
    }

    private ManagedProcess launch(Path data, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessLauncher.launch("pipelined-migration", List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), PipelinedMigrationMain.class.getName(),
                Integer.toString(UP.instance().port()), Integer.toString(DOWN.instance().port()), data.toString(), "pipe",
                "10000", "2", "pipe"), dir, log, Map.of());
    }

    private long checkpoints() {
        try (Connection d = DOWN.instance().connect(); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM dm_meta.pipe_loader_checkpoint")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    private boolean alterRunning() {
        try (Connection d = DOWN.instance().connect(); Statement st = d.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                     + " WHERE INFO LIKE 'ALTER TABLE%' AND INFO NOT LIKE '%PROCESSLIST%'")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String showCreate(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + t.quoted())) {
            rs.next();
            return rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", "");
        }
    }
}
