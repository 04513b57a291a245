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

    static final String COLS = "`id`,`from`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`dec`,`f`,`d`,`b1`,`b64`,"
            + "`dt`,`tm`,`dtm`,`ts`,`y`,`c`,`vc`,`tx`,`l1`,`vb`,`bl`,`bn`,`e`,`s`,`j`,`spaced col`,`ünï`,`back``tick`";

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
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (0, 'max', 127, 255, 32767, 65535, 8388607,"
                    + " 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,"
                    + " 99999999999999999999999999999999999.999999999999999999999999999999, 3.4028234e38,"
                    + " 1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',"
                    + " '9999-12-31', '838:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 08:44:07.999999', 2155,"
                    + " 'ten chars!', 'emoji 😀🎉 end', REPEAT('long text ', 500), 'café crème ÿ', 'x', 'y', 'zz', 'ç',"
                    + " 'x,y,z', '{\"k\": [1, 2.5, \"ü\", null]}', 1, 'ünï', 2)");
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (1, 'min', -128, 0, -32768, 0, -8388608, 0,"
                    + " -2147483648, 0, -9223372036854775808, 0,"
                    + " -99999999999999999999999999999999999.999999999999999999999999999999, -1.17549435e-38,"
                    + " -2.2250738585072014e-308, b'0', b'0', '1000-01-01', '-838:59:59.999999', '1000-01-01 00:00:00.000000',"
                    + " '1970-01-01 05:30:01.000000', 1901, '', '', '', '', '', '', '', 'a', '', '[]', -1, '', -2)");
            st.execute("INSERT INTO `my db`.`select` (`id`) VALUES (2)"); // NULL everywhere
            st.execute("INSERT INTO `my db`.`select` (" + COLS + ") VALUES (3, 'specials', NULL, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, NULL, NULL, NULL, 0.000000000000000000000000000001, -0e0, -0e0, NULL, b'1010', '0000-00-00',"
                    + " '-00:00:00.000001', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, ' sp', '\\\\N', 'NULL',"
                    + " 'tab\\there\\nnew\\rline\\\\back\\\\', 'Ω≈ç√', '\\\\N', 'NULL', NULL, 'y,x', '\"s\"', 0, '', 0)");
            st.execute("INSERT INTO `my db`.`select` (`id`, `f`, `d`, `tm`, `dtm`, `ts`) VALUES (4, 1.2345678, 0.1e0 + 0.2e0,"
                    + " '-00:59:59.5', '2024-03-31 02:30:00.5', '2024-10-27 01:30:00.123456'),"
                    + " (5, 1.401298464e-45, 4.9e-324, '00:00:00', '2000-02-29 12:00:00', '2000-01-01 00:00:00'),"
                    + " (6, 16777217, 9007199254740993, '12:34:56.789', '1999-12-31 23:59:59.999999', '1999-12-31 18:30:00')");
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO `my db`.`select` (`id`, `vb`, `bl`, `bn`, `tx`, `l1`)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, 7);
                ps.setBytes(2, all);
                ps.setBytes(3, all);
                ps.setBytes(4, new byte[] {0, '\t', '\n', '\\'});
                ps.setString(5, "𝄞 4-byte ✓ \t\n\\ \u0000 end");
                ps.setBytes(6, new byte[] {(byte) 0xE9, (byte) 0xFF, 0x09, 0x5C, 0x0A, 0x00, 0x1A});
                ps.executeUpdate();
            }
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
