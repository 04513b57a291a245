package io.dmjava.worker.sync.binlog;

import io.dmjava.model.task.TableName;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.fullmigration.FidelityRows;
import io.dmjava.worker.sync.schema.ColumnSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fidelity table (every type at its limits, copied from the full-migration FidelityTest), its rows, and
 * a minimal replayer that turns rows events into plain INSERT/UPDATE/DELETE statements downstream: enough to
 * prove that {@link BinlogStream} and {@link ValueConverter} carry every value exactly.
 */
final class ReplayFixtures {
    static final TableName TABLE = new TableName("my db", "select");
    static final TableName NARROW = new TableName("my db", "ünï `tick`");

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
            + "`spaced col` INT NULL, `ünï` VARCHAR(10) NULL, `back``tick` INT NULL,"
            + "`t0` TIME NULL, `dt3` DATETIME(3) NULL, `ts0` TIMESTAMP NULL, `t2` TIME(2) NULL)";

    static final String NARROW_DDL = "CREATE TABLE " + NARROW.quoted() + " (`k` VARCHAR(20) CHARACTER SET utf8mb4"
            + " COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, `v` INT, `l` CHAR(5) CHARACTER SET latin1)";


    private ReplayFixtures() {
    }

    /** FidelityTest's rows, plus zero/invalid dates, times over 24 h and odd fractions. */
    static void insertRows(Connection c, int randomRows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION time_zone = '+05:30'");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'");
            FidelityRows.insertEdgeRows(c);
            st.execute("INSERT INTO `my db`.`select` (`id`, `dt`, `dtm`, `tm`, `t0`, `dt3`, `ts0`, `t2`, `y`, `b64`, `e`, `s`)"
                    + " VALUES (8, '2024-02-30', '2024-00-15 10:00:00.5', '100:00:00.000001', '-838:59:59', '0001-01-01 00:00:00.001',"
                    + " '2038-01-19 08:44:07', '-00:00:00.01', 0, b'1000000000000000000000000000000000000000000000000000000000000001',"
                    + " 0, 0),"
                    + " (9, '2024-00-00', '1582-10-10 00:00:00', '-00:00:01', '00:00:00', '2024-02-31 23:59:59.999', '1970-01-01 05:30:01',"
                    + " '-12:00:00.99', 1970, b'0', 'ç', 'x,y,z'),"
                    + " (10, '0000-01-01', '0000-00-00 00:00:00.000001', '-100:00:00.5', '-00:00:01', NULL, NULL, '23:59:59.99', 2000,"
                    + " NULL, NULL, NULL)");
            st.execute("SET SESSION time_zone = '-07:00'");
            FidelityRows.insertRandomRows(c, 100, randomRows);
            st.execute("INSERT INTO " + NARROW.quoted() + " VALUES ('a', 1, 'é '), ('A-', 2, ' x'), ('ß', 3, NULL),"
                    + " ('😀', 4, 'ÿÿ'), ('z', 5, ''), ('Äx', 6, 'a')");
        }
    }

    /** The table's columns as information_schema describes them, in ordinal (binlog) order. */
    static List<ColumnSchema> columns(Connection c, TableName t) throws SQLException {
        List<ColumnSchema> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                + " COLLATION_NAME, IS_GENERATED, IS_NULLABLE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String columnType = rs.getString(3).toLowerCase(Locale.ROOT);
                    out.add(new ColumnSchema(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), columnType,
                            columnType.contains("unsigned"), rs.getString(4), rs.getString(5),
                            "ALWAYS".equalsIgnoreCase(rs.getString(6)), "YES".equals(rs.getString(7))));
                }
            }
        }
        return out;
    }

    /** A downstream connection set up the way the sync unit's are. */
    static Connection downstream(MariaDbInstance down) throws SQLException {
        Connection c = DriverManager.getConnection(down.jdbcUrl("") + "&useServerPrepStmts=false");
        try (Statement st = c.createStatement()) {
            st.execute("SET NAMES utf8mb4");
            st.execute("SET SESSION time_zone = '+00:00'");
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'");
            st.execute("SET SESSION foreign_key_checks = 0");
        }
        return c;
    }

    /** Where the upstream's binlog ends now. */
    static BinlogPosition current(MariaDbInstance up) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement()) {
            String file;
            long pos;
            try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
                rs.next();
                return new BinlogPosition(file, pos, rs.getString(1));
            }
        }
    }

    /** Applies one rows event downstream by primary key, with plain parameters. */
    static void apply(Connection down, RowsEvent e, List<ColumnSchema> cols, List<String> key) throws SQLException {
        TableName t = new TableName(e.schema(), e.table());
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (!cols.get(i).generated()) {
                written.add(i);
            }
        }
        List<Integer> keyIdx = key.stream().map(k -> indexOf(cols, k)).toList();
        String where = String.join(" AND ", keyIdx.stream().map(i -> TableName.quote(cols.get(i).name()) + " = "
                + param(cols.get(i))).toList());
        String sql = switch (e.kind()) {
            case INSERT -> "INSERT INTO " + t.quoted() + " (" + String.join(", ", written.stream()
                    .map(i -> TableName.quote(cols.get(i).name())).toList()) + ") VALUES ("
                    + String.join(", ", written.stream().map(i -> param(cols.get(i))).toList()) + ")";
            case UPDATE -> "UPDATE " + t.quoted() + " SET " + String.join(", ", written.stream()
                    .map(i -> TableName.quote(cols.get(i).name()) + " = " + param(cols.get(i))).toList()) + " WHERE " + where;
            case DELETE -> "DELETE FROM " + t.quoted() + " WHERE " + where;
        };
        try (PreparedStatement ps = down.prepareStatement(sql)) {
            int rows = e.kind() == RowKind.DELETE ? e.before().size() : e.after().size();
            for (int r = 0; r < rows; r++) {
                int p = 1;
                if (e.kind() != RowKind.DELETE) {
                    Serializable[] image = e.after().get(r);
                    for (int i : written) {
                        ps.setObject(p++, ValueConverter.toJdbc(cols.get(i), image[i]));
                    }
                }
                if (e.kind() != RowKind.INSERT) {
                    Serializable[] image = e.before().get(r);
                    for (int i : keyIdx) {
                        ps.setObject(p++, ValueConverter.toJdbc(cols.get(i), image[i]));
                    }
                }
                if (ps.executeUpdate() != 1) {
                    throw new AssertionError(e.kind() + " of row " + r + " in " + t + " changed no row: " + sql);
                }
            }
        }
    }

    private static String param(ColumnSchema c) {
        return c.isRawText() ? "CONVERT(? USING " + c.charset() + ") COLLATE " + c.collation() : "?";
    }

    private static int indexOf(List<ColumnSchema> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
