package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay unit against a real MariaDB: its files are real binlog files (read back by the library's file reader
 * and by {@code mariadb-binlog}) equal to the upstream's event by event, through rotations and a KILL of its
 * binlog dump thread.
 */
class RelayUnitTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();

    @TempDir
    Path dir;

    @Test
    void copiesTheBinlogThroughRotationsAndKilledDumpThreads() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE IF NOT EXISTS r", "CREATE TABLE r.t (id INT PRIMARY KEY, v VARCHAR(200), b BLOB)");
        String first = RelayFixtures.binaryLogs(up).get(0);
        Path relayDir = dir.resolve("relay").resolve("s1");
        RelayOptions opts = RelayOptions.of("s1", RelayFixtures.db(up), relayDir, first, "", 4_000_000_001L);
        try (RelayUnit unit = new RelayUnit(opts, s -> Optional.empty())) {
            unit.start();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    int id = round * 1000 + i;
                    up.execute("INSERT INTO r.t (id, v, b) VALUES (" + id + ", REPEAT('x', " + (i * 3) + "), RANDOM_BYTES(" + (1 + i) + "))",
                            "UPDATE r.t SET v = CONCAT(v, 'u') WHERE id = " + id);
                }
                up.execute("ALTER TABLE r.t ADD COLUMN c" + round + " INT", "FLUSH BINARY LOGS");
                RelayFixtures.awaitMeta(up, relayDir, Duration.ofSeconds(60), () -> unit.stage() + " " + unit.lastError());
                DumpThreads.kill(up);
            }
            up.execute("DELETE FROM r.t WHERE id < 20");
            RelayFixtures.awaitMeta(up, relayDir, Duration.ofSeconds(60), () -> unit.stage() + " " + unit.lastError());
            assertThat(unit.stage()).isEqualTo("Running");
            assertThat(unit.reconnects()).isGreaterThanOrEqualTo(3);
        }
        List<String> upstreamFiles = RelayFixtures.binaryLogs(up);
        long events = RelayFixtures.assertSameEvents(RelayFixtures.upstreamBinlogDir(up), relayDir, upstreamFiles);
        assertThat(BinlogNames.list(relayDir)).hasSize(4);
        for (String f : BinlogNames.list(relayDir)) {
            String text = RelayFixtures.mariadbBinlog(relayDir.resolve(f));
            assertThat(text).contains("End of log file");
        }
        assertThat(RelayFixtures.mariadbBinlog(relayDir.resolve(BinlogNames.list(relayDir).get(1))))
                .contains("ALTER TABLE r.t ADD COLUMN c1 INT").contains("### INSERT INTO `r`.`t`");
        assertThat(Files.readString(relayDir.resolve(RelayMeta.FILE_NAME))).contains("binlog-gtid = \"0-");
        System.out.printf("relay unit test: %d events in %d files equal to the upstream's%n", events, upstreamFiles.size());
    }

}
