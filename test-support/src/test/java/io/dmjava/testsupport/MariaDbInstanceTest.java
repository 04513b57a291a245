package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MariaDbInstanceTest {

    @RegisterExtension
    static final MariaDbExtension UPSTREAM = MariaDbExtension.upstream();

    @RegisterExtension
    static final MariaDbExtension DOWNSTREAM = MariaDbExtension.downstream();

    @Test
    void upstreamHasRowBinlogWithFullImagesAndGtids() throws SQLException {
        MariaDbInstance db = UPSTREAM.instance();
        assertThat(db.flavour()).isEqualTo(MariaDbInstance.Flavour.UPSTREAM);
        assertThat(query(db, "SELECT @@log_bin")).isEqualTo("1");
        assertThat(query(db, "SELECT @@binlog_format")).isEqualTo("ROW");
        assertThat(query(db, "SELECT @@binlog_row_image")).isEqualTo("FULL");
        assertThat(query(db, "SELECT @@binlog_row_metadata")).isEqualTo("FULL");
        assertThat(query(db, "SELECT @@gtid_strict_mode")).isEqualTo("1");
        assertThat(query(db, "SELECT @@server_id")).isEqualTo(Integer.toString(db.serverId()));
        assertThat(query(db, "SELECT @@character_set_server")).isEqualTo("utf8mb4");

        db.execute("CREATE DATABASE IF NOT EXISTS gtid_check",
                "CREATE TABLE gtid_check.t (id INT PRIMARY KEY)",
                "INSERT INTO gtid_check.t VALUES (1)");

        assertThat(query(db, "SELECT @@gtid_binlog_pos")).startsWith("0-" + db.serverId() + "-");
    }

    @Test
    void downstreamHasNoBinlogAndAcceptsLocalInfile(@TempDir Path dir) throws Exception {
        MariaDbInstance db = DOWNSTREAM.instance();
        assertThat(db.flavour()).isEqualTo(MariaDbInstance.Flavour.DOWNSTREAM);
        assertThat(query(db, "SELECT @@log_bin")).isEqualTo("0");

        Path csv = Files.writeString(dir.resolve("rows.csv"), "1,a\n2,b\n");
        db.execute("CREATE DATABASE IF NOT EXISTS target",
                "CREATE TABLE target.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE target.t FIELDS TERMINATED BY ','");

        assertThat(query(db, "SELECT COUNT(*) FROM target.t")).isEqualTo("2");
    }

    @Test
    void serverIdsAndPortsAreUniqueAndCoordinatesAreAsDocumented() {
        MariaDbInstance up = UPSTREAM.instance();
        MariaDbInstance down = DOWNSTREAM.instance();
        assertThat(up.serverId()).isNotEqualTo(down.serverId());
        assertThat(up.port()).isNotEqualTo(down.port());
        assertThat(up.host()).isEqualTo("127.0.0.1");
        assertThat(up.user()).isEqualTo("root");
        assertThat(up.password()).isEmpty();
        assertThat(up.jdbcUrl("")).isEqualTo("jdbc:mariadb://127.0.0.1:" + up.port() + "/?user=root&allowLocalInfile=true");
        assertThat(up.jdbcUrl("db1")).contains("/db1?");
    }

    @Test
    void killedServerRestartsOnItsDataAndPort() throws SQLException {
        try (MariaDbInstance db = MariaDbInstance.startUpstream()) {
            db.execute("CREATE DATABASE durable", "CREATE TABLE durable.t (id INT PRIMARY KEY)",
                    "INSERT INTO durable.t VALUES (1), (2)");
            int port = db.port();
            long oldPid = db.process().pid();

            db.kill();
            assertThat(db.process().isAlive()).isFalse();
            db.restart();

            assertThat(db.port()).isEqualTo(port);
            assertThat(db.process().pid()).isNotEqualTo(oldPid);
            assertThat(query(db, "SELECT COUNT(*) FROM durable.t")).isEqualTo("2");

            db.stop();
            assertThat(db.process().isAlive()).isFalse();
            db.restart();
            assertThat(query(db, "SELECT COUNT(*) FROM durable.t")).isEqualTo("2");
        }
    }

    private static String query(MariaDbInstance db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
