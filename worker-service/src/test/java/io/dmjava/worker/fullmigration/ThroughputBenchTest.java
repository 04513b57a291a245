package io.dmjava.worker.fullmigration;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpUnit;
import io.dmjava.worker.load.LoadMethod;
import io.dmjava.worker.load.LoadUnit;
import io.dmjava.worker.unit.UnitContext;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of dump and of both load methods on a sysbench-like table. Prints figures, asserts only
 * exactness. Run with {@code mvn test -Dtest=ThroughputBenchTest -Ddm.bench=true [-Ddm.bench.rows=1000000]
 * [-Ddm.bench.bigserver=true]}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "dm.bench", matches = "true")
class ThroughputBenchTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    @TempDir
    Path dir;

    @Test
    void sysbenchTable() throws Exception {
        long rows = Long.getLong("dm.bench.rows", 1_000_000);
        int exportThreads = Integer.getInteger("dm.bench.export", 4);
        int importThreads = Integer.getInteger("dm.bench.import", 4);
        MariaDbInstance up = UP.instance();
        if (Boolean.getBoolean("dm.bench.bigserver")) {
            // The harness starts servers with a 64 MB buffer pool and a 48 MB redo log; a production server
            // has far more. Both are resizable online in MariaDB 10.11.
            for (MariaDbInstance db : new MariaDbInstance[] {up, DOWN.instance()}) {
                db.execute("SET GLOBAL innodb_buffer_pool_size = 1073741824",
                        "SET GLOBAL innodb_log_file_size = 1073741824");
            }
        }
        TableName t = new TableName("sbtest", "sbtest1");
        up.execute("CREATE DATABASE sbtest",
                "CREATE TABLE sbtest.sbtest1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0,"
                        + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k))",
                "INSERT INTO sbtest.sbtest1 (id, k, c, pad) SELECT seq, FLOOR(RAND(seq) * " + rows + "),"
                        + " CONCAT_WS('-', LPAD(FLOOR(RAND(seq + 1) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 2) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 3) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 4) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 5) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 6) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 7) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 8) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 9) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 10) * 1e11), 11, '0')),"
                        + " CONCAT_WS('-', LPAD(FLOOR(RAND(seq + 11) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 12) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 13) * 1e11), 11, '0'), LPAD(FLOOR(RAND(seq + 14) * 1e11), 11, '0'),"
                        + " LPAD(FLOOR(RAND(seq + 15) * 1e11), 11, '0')) FROM mysql.seq_1_to_" + rows,
                "ANALYZE TABLE sbtest.sbtest1");
        TaskConfig task = Fixtures.task("bench", "replace", exportThreads, importThreads, "auto");
        UnitContext ctx = Fixtures.ctx(task, Fixtures.db(up), Fixtures.db(DOWN.instance()), Fixtures.schemas("sbtest"),
                dir, () -> false);
        long t0 = System.nanoTime();
        DumpUnit dump = new DumpUnit();
        dump.run(ctx);
        double dumpSeconds = (System.nanoTime() - t0) / 1e9;
        DumpMetadata m = DumpMetadata.read(dir).orElseThrow();
        report("dump", m.totalBytes(), m.totalRows(), dumpSeconds, exportThreads + " export threads, "
                + m.tables().get(0).chunks().size() + " chunks");

        long expected;
        try (Connection u = up.connect()) {
            expected = TableComparator.checksum(u, t);
        }
        for (LoadMethod method : LoadMethod.values()) {
            DOWN.instance().execute("DROP DATABASE IF EXISTS sbtest", "DROP DATABASE IF EXISTS dm_meta");
            long t1 = System.nanoTime();
            new LoadUnit(o -> o.withMethod(method), SqlRetry.DEFAULT).run(ctx);
            double seconds = (System.nanoTime() - t1) / 1e9;
            report("load " + method, m.totalBytes(), m.totalRows(), seconds, importThreads + " import threads");
            try (Connection d = DOWN.instance().connect()) {
                assertThat(TableComparator.checksum(d, t)).isEqualTo(expected);
            }
        }
    }

    private static void report(String what, long bytes, long rows, double seconds, String how) {
        System.out.printf("BENCH %-16s %,d rows, %.1f MB in %.2f s: %.1f MB/s, %,.0f rows/s (%s)%n", what, rows,
                bytes / 1e6, seconds, bytes / 1e6 / seconds, rows / seconds, how);
    }
}
