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
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every MariaDB column type at its limits, NULLs, id 0, every byte value, awkward identifiers: dumped,
 * loaded by each method, and compared by CHECKSUM TABLE and row by row.
 */
class FidelityTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final TableName TABLE = new TableName("my db", "select");
    static final TableName NARROW = new TableName("my db", "ünï `tick`");

    @TempDir
    static Path dataDir;

    static final String DDL = "CREATE TABLE `my db`.`select` ("
            + "`id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY, `from` VARCHAR(20) NULL,"
            + "`ti` TINYINT NULL, `tiu` TINYINT UNSIGNED NULL, `si` SMALLINT NULL, `siu` SMALLINT UNSIGNED NULL,"
            + "`mi` MEDIUMINT NULL, `miu` MEDIUMINT UNSIGNED NULL, `i` INT NULL, `iu` INT UNSIGNED NULL,"
            + "`bi` BIGINT NULL, `biu` BIGINT UNSIGNED NULL, `dec` DECIMAL(65,30) NULL, `f` FLOAT NULL, `d` DOUBLE NULL,"
            + "`b1` BIT(1) NULL, `b64` BIT(64) NULL, `dt` DATE NULL, `tm` TIME(6) NULL, `dtm` DATETIME(6) NULL,"
            + "`ts` TIMESTAMP(6) NULL, `y` YEAR NULL, `c` CHAR(10) NULL, `vc` VARCHAR(100) NULL, `tx` TEXT NULL,"
            + "`l1` VARCHAR(50) CHARACTER SET latin1 NULL, `vb` VARBINARY(300) NULL, `bl` BLOB NULL, `bn` BINARY(4) NULL,"
            + "`e` ENUM('a','b','ç') NULL, `s` SET('x','y','z') NULL, `j` JSON NULL,"
            + "`g_st` BIGINT AS (`i` * 2) STORED, `g_vi` VARCHAR(120) AS (CONCAT(`vc`, '!')) VIRTUAL,"
            + "`spaced col` INT NULL, `ünï` VARCHAR(10) NULL, `back``tick` INT NULL)";


    @BeforeAll
    static void createUpstreamData() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute("CREATE DATABASE `my db`", DDL,
                "CREATE TABLE " + NARROW.quoted() + " (`k` VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
                        + " NOT NULL PRIMARY KEY, `v` INT)");
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            // TIMESTAMPs are entered in a non-UTC zone: they must arrive as the same instant.
            st.execute("SET SESSION time_zone = '+05:30'");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            FidelityRows.insertEdgeRows(c);
            st.execute("SET SESSION time_zone = '-07:00'");
            FidelityRows.insertRandomRows(c, 100, 2000);
            st.execute("INSERT INTO " + NARROW.quoted() + " VALUES ('a', 1), ('A-', 2), ('ß', 3), ('😀', 4), ('z', 5), ('Äx', 6)");
            try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + NARROW.quoted() + " VALUES (?, ?)")) {
                Random r = new Random(7);
                for (int i = 0; i < 1500; i++) {
                    ps.setString(1, FidelityRows.randomText(r, 12) + i);
                    ps.setInt(2, i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void everyValueArrivesExactly(LoadMethod method) throws Exception {
        MariaDbInstance up = UP.instance();
        MariaDbInstance down = DOWN.instance();
        down.execute("DROP DATABASE IF EXISTS `my db`", "DROP DATABASE IF EXISTS dm_meta");
        Path dir = dataDir.resolve(method.name());
        TaskConfig task = Fixtures.task("fidelity", "replace", 2, 4, "auto");
        UnitContext ctx = Fixtures.ctx(task, Fixtures.db(up), Fixtures.db(down), Fixtures.schemas("my db"), dir, () -> false);
        // Small chunks so that the PK ranges and the sampled VARCHAR key are both split.
        DumpUnit dump = new DumpUnit(o -> o.withChunkRows(300), SqlRetry.DEFAULT);
        dump.run(ctx);
        DumpMetadata metadata = DumpMetadata.read(dir).orElseThrow();
        assertThat(metadata.finished()).isTrue();
        assertThat(metadata.position().isKnown()).isTrue();
        assertThat(metadata.position().gtid()).isNotEmpty();
        assertThat(metadata.tables()).hasSize(2);
        assertThat(metadata.tables().get(0).chunks().size()).isGreaterThan(3);
        new LoadUnit(o -> o.withMethod(method), SqlRetry.DEFAULT).run(ctx);

        for (TableName t : List.of(TABLE, NARROW)) {
            try (Connection u = up.connect(); Connection d = down.connect()) {
                List<String> expected = TableComparator.rows(u, t);
                List<String> actual = TableComparator.rows(d, t);
                assertThat(TableComparator.diff(expected, actual)).as("rows of %s by %s", t, method).isEmpty();
                assertThat(TableComparator.checksum(d, t)).as("checksum of %s", t).isEqualTo(TableComparator.checksum(u, t));
            }
        }
        System.out.printf("fidelity %s: dump %s, load %s%n", method, dump.status(), "ok");
    }
}
