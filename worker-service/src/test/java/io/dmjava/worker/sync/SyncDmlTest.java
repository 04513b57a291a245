package io.dmjava.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.fullmigration.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental replication of every DML kind on every column type, on tables with a primary key, with only a
 * unique key and with no key, including updates of the primary key; checked by checksums and row by row.
 */
class SyncDmlTest {
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    @RegisterExtension
    static final MariaDbExtension DOWN = MariaDbExtension.downstream();

    static final String TYPES = "CREATE TABLE sy.types ("
            + "`id` INT NOT NULL PRIMARY KEY, `ti` TINYINT NULL, `tiu` TINYINT UNSIGNED NULL, `si` SMALLINT NULL,"
            + " `siu` SMALLINT UNSIGNED NULL, `mi` MEDIUMINT NULL, `miu` MEDIUMINT UNSIGNED NULL, `i` INT NULL,"
            + " `iu` INT UNSIGNED NULL, `bi` BIGINT NULL, `biu` BIGINT UNSIGNED NULL, `dec` DECIMAL(65,30) NULL, `f` FLOAT NULL,"
            + " `d` DOUBLE NULL, `b1` BIT(1) NULL, `b64` BIT(64) NULL, `dt` DATE NULL, `tm` TIME(6) NULL, `dtm` DATETIME(6) NULL,"
            + " `ts` TIMESTAMP(6) NULL, `y` YEAR NULL, `c` CHAR(10) NULL, `vc` VARCHAR(100) NULL, `tx` TEXT NULL,"
            + " `l1` VARCHAR(50) CHARACTER SET latin1 NULL, `vb` VARBINARY(300) NULL, `bl` BLOB NULL, `bn` BINARY(4) NULL,"
            + " `e` ENUM('a','b','ç') NULL, `s` SET('x','y','z') NULL, `j` JSON NULL,"
            + " `g_st` BIGINT AS (`i` * 2) STORED, `g_vi` VARCHAR(120) AS (CONCAT(`vc`, '!')) VIRTUAL,"
            + " `spaced col` INT NULL, `ünï` VARCHAR(10) NULL)";
    static final String COLS = "`id`,`ti`,`tiu`,`si`,`siu`,`mi`,`miu`,`i`,`iu`,`bi`,`biu`,`dec`,`f`,`d`,`b1`,`b64`,"
            + "`dt`,`tm`,`dtm`,`ts`,`y`,`c`,`vc`,`tx`,`l1`,`vb`,`bl`,`bn`,`e`,`s`,`j`,`spaced col`,`ünï`";
    static final List<String> SETUP = List.of("CREATE DATABASE sy", TYPES,
            "CREATE TABLE sy.nopk (a INT, b VARCHAR(20), f DOUBLE)",
            "CREATE TABLE sy.uk (code VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, v INT, UNIQUE KEY u (code))",
            "CREATE TABLE sy.comp (a INT NOT NULL, b VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b))");
    static final List<TableName> TABLES = List.of(new TableName("sy", "types"), new TableName("sy", "nopk"),
            new TableName("sy", "uk"), new TableName("sy", "comp"));

    @TempDir
    Path dir;

    @Test
    void everyKindOfChangeArrivesExactly() throws Exception {
        MariaDbInstance up = UP.instance();
        up.execute(SETUP.toArray(String[]::new));
        DOWN.instance().execute(SETUP.toArray(String[]::new));
        TaskConfig task;
        try (Connection c = up.connect()) {
            task = SyncFixtures.startingNow(SyncFixtures.task("dml", "incremental", 4, 10, false, null, null), c);
        }
        try (SyncFixtures.Running sync = new SyncFixtures.Running(task, Fixtures.db(up), Fixtures.db(DOWN.instance()),
                Fixtures.schemas("sy"), dir, false, Duration.ofSeconds(1));
             Connection u = up.connect(); Connection d = DOWN.instance().connect(); Statement st = u.createStatement()) {
            sync.awaitStarted(d, "dml");
            st.execute("SET SESSION time_zone = '+05:30'");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            st.execute("INSERT INTO sy.types (" + COLS + ") VALUES (0, 127, 255, 32767, 65535, 8388607,"
                    + " 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,"
                    + " 99999999999999999999999999999999999.999999999999999999999999999999, 3.4028234e38,"
                    + " 1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',"
                    + " '9999-12-31', '838:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 08:44:07.999999', 2155,"
                    + " 'ten chars!', 'emoji 😀🎉 end', REPEAT('long text ', 500), 'café crème ÿ', 'x', 'y', 'zz', 'ç',"
                    + " 'x,y,z', '{\"k\": [1, 2.5, \"ü\", null]}', 1, 'ünï'),"
                    + " (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,"
                    + " -99999999999999999999999999999999999.999999999999999999999999999999, -1.17549435e-38,"
                    + " -2.2250738585072014e-308, b'0', b'0', '1000-01-01', '-838:59:59.999999', '1000-01-01 00:00:00.000000',"
                    + " '1970-01-01 05:30:01.000000', 1901, '', '', '', '', '', '', '', 'a', '', '[]', -1, ''),"
                    + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.000000000000000000000000000001, -0e0,"
                    + " -0e0, NULL, b'1010', '0000-00-00', '-00:00:00.000001', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0,"
                    + " ' sp', '\\\\N', 'NULL', 'tab\\there\\nnew', 'Ω≈ç√', '\\\\N', 'NULL', NULL, 'y,x', '\"s\"', 0, '')");
            st.execute("INSERT INTO sy.types (`id`) VALUES (2)");
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            try (PreparedStatement ps = u.prepareStatement("INSERT INTO sy.types (`id`, `vb`, `bl`, `bn`, `tx`, `l1`)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, 7);
                ps.setBytes(2, all);
                ps.setBytes(3, all);
                ps.setBytes(4, new byte[] {0, '\t', '\n', '\\'});
                ps.setString(5, "𝄞 4-byte ✓ \t\n\\ \u0000 end");
                ps.setBytes(6, new byte[] {(byte) 0xE9, (byte) 0xFF, 0x09, 0x5C, 0x0A, 0x00, 0x1A, (byte) 0x81});
                ps.executeUpdate();
            }
            st.execute("INSERT INTO sy.types (`id`, `f`, `d`, `tm`, `dtm`, `ts`) VALUES (4, 1.2345678, 0.1e0 + 0.2e0,"
                    + " '-00:59:59.5', '2024-03-31 02:30:00.5', '2024-10-27 01:30:00.123456'),"
                    + " (5, 1.401298464e-45, 4.9e-324, '00:00:00', '2000-02-29 12:00:00', '2000-01-01 00:00:00')");
            // updates of every column, NULL <-> value, and of the primary key
            st.execute("UPDATE sy.types SET `ti` = -1, `biu` = 18446744073709551614, `dtm` = '2001-01-01 00:00:00.000001',"
                    + " `vc` = 'changed 😀', `l1` = 'ÿé', `j` = '{\"n\": 2}', `e` = 'b', `s` = 'z' WHERE `id` = 0");
            st.execute("UPDATE sy.types SET `ti` = NULL, `vb` = NULL, `tm` = '12:00:00' WHERE `id` = 7");
            st.execute("UPDATE sy.types SET `id` = 100 WHERE `id` = 1");
            st.execute("UPDATE sy.types SET `id` = `id` + 1000 ORDER BY `id` DESC");
            st.execute("DELETE FROM sy.types WHERE `id` = 1003");
            // no key: duplicates, NULLs, doubles
            st.execute("INSERT INTO sy.nopk VALUES (1, 'dup', 0.1), (1, 'dup', 0.1), (2, NULL, NULL), (3, 'x', 1e300)");
            st.execute("UPDATE sy.nopk SET b = 'one' WHERE a = 1 LIMIT 1");
            st.execute("DELETE FROM sy.nopk WHERE a = 2");
            st.execute("UPDATE sy.nopk SET f = 2.5 WHERE a = 3");
            // unique key only, case-insensitive: 'A' and 'a' are the same key
            st.execute("INSERT INTO sy.uk VALUES ('a', 1), ('b', 2)");
            st.execute("DELETE FROM sy.uk WHERE code = 'a'");
            st.execute("INSERT INTO sy.uk VALUES ('A', 3)");
            st.execute("UPDATE sy.uk SET code = 'c' WHERE code = 'b'");
            st.execute("INSERT INTO sy.uk VALUES ('b', 4)");
            // composite key, a transaction touching the same keys many times
            u.setAutoCommit(false);
            for (int i = 0; i < 200; i++) {
                st.execute("INSERT INTO sy.comp VALUES (" + (i % 20) + ", 'k" + i + "', " + i + ")");
                st.execute("UPDATE sy.comp SET v = v + 1 WHERE a = " + (i % 20));
                if (i % 3 == 0) {
                    st.execute("DELETE FROM sy.comp WHERE a = " + (i % 20) + " AND b = 'k" + i + "'");
                }
            }
            u.commit();
            u.setAutoCommit(true);
            SyncFixtures.awaitSame(u, d, TABLES, Duration.ofSeconds(60), sync::failure);
            SyncStatus status = sync.status();
            assertThat(status.totalEvents()).isPositive();
            sync.stop();
            try (Statement ds = d.createStatement(); var rs = ds.executeQuery("SELECT binlog_name, binlog_pos FROM"
                    + " dm_meta.dml_syncer_checkpoint WHERE is_global")) {
                assertThat(rs.next()).as("a checkpoint was saved").isTrue();
            }
        }
    }
}
