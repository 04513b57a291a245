package io.dmjava.testsupport.service;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The playground's demo: an upstream with sample sharded data, a downstream, one source and one task of mode
 * {@code all} (dump, load, then replicate the binlog) created through the REST API exactly as a user would,
 * its status as one line, and the final comparison of the tables up and down.
 */
final class PlaygroundDemo {
    static final String TASK = "demo";
    private static final Pattern POSITION = Pattern.compile("\\(([^,]*), (\\d+)\\)");

    private PlaygroundDemo() {
    }

    static void loadSampleData(MariaDbInstance up) {
        up.execute("CREATE DATABASE shop",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64) CHARACTER SET utf8mb4, city VARCHAR(32))",
                "CREATE TABLE shop.orders_01 (id BIGINT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2), placed DATETIME(3), KEY (customer_id))",
                "CREATE TABLE shop.orders_02 LIKE shop.orders_01",
                "INSERT INTO shop.customers VALUES (1,'Zoë','Paris'),(2,'Ødegaard','Oslo'),(3,'李雷','上海'),(4,'O''Neil 🚀','Cork')",
                "INSERT INTO shop.orders_01 VALUES (1, 1, 10.50, NOW(3))",
                "INSERT INTO shop.orders_02 VALUES (1000001, 2, 99.99, NOW(3))");
        // Grow each shard by doubling: 2 x 131072 orders in a few seconds.
        for (int i = 0; i < 17; i++) {
            up.execute("INSERT INTO shop.orders_01 SELECT id + (SELECT MAX(id) FROM shop.orders_01), 1 + FLOOR(RAND() * 4), "
                    + "ROUND(RAND() * 500, 2), NOW(3) - INTERVAL FLOOR(RAND() * 100000) MINUTE FROM shop.orders_01");
            up.execute("INSERT INTO shop.orders_02 SELECT id + (SELECT MAX(id) - 1000000 FROM shop.orders_02), 1 + FLOOR(RAND() * 4), "
                    + "ROUND(RAND() * 500, 2), NOW(3) - INTERVAL FLOOR(RAND() * 100000) MINUTE FROM shop.orders_02");
        }
    }

    static void createSourceAndTask(ApiClient api, MariaDbInstance up, MariaDbInstance down) {
        expect(api.post("/api/v1/sources", "{\"source\":{\"source_name\":\"demo-source\",\"host\":\"127.0.0.1\",\"port\":"
                + up.port() + ",\"user\":\"root\",\"password\":\"\"}}"), 201);
        expect(api.post("/api/v1/tasks", "{\"task\":{\"name\":\"" + TASK + "\",\"task_mode\":\"all\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":["
                + "{\"source\":{\"source_name\":\"demo-source\",\"schema\":\"shop\",\"table\":\"orders_*\"},"
                + "\"target\":{\"schema\":\"shop\",\"table\":\"orders\"}},"
                + "{\"source\":{\"source_name\":\"demo-source\",\"schema\":\"shop\",\"table\":\"customers\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"demo-source\"}]}}}"), 201);
        for (int i = 0; i < 300 && api.get("/api/v1/sources/demo-source/status").body().contains("\"worker_name\":\"\""); i++) {
            ServiceProcess.sleep(100);
        }
        expect(api.post("/api/v1/tasks/" + TASK + "/start", "{}"), 200);
    }

    /** The task's status in one line: stage, unit, its progress, rows up and down, and the sync figures. */
    static String statusLine(ApiClient api, MariaDbInstance up, MariaDbInstance down) {
        ApiClient.Response r = api.get("/api/v1/tasks/" + TASK + "/status");
        if (r.status() != 200) {
            return "status unavailable (" + r.status() + "): " + r.body();
        }
        String st = r.body();
        String unit = field(st, "unit", "-");
        StringBuilder line = new StringBuilder(String.format("%-8s %-5s", field(st, "stage", "?"), unit));
        switch (unit) {
            case "dump" -> line.append("  dumped ").append(field(st, "finished_rows", "0")).append(" rows");
            case "load" -> line.append("  loaded ").append(field(st, "progress", "0 %"));
            default -> { }
        }
        line.append(String.format("  rows up %s / down %s", rowCount(up), rowCount(down)));
        if (st.contains("\"sync_status\"")) {
            line.append("  synced ").append(field(st, "synced", "?"))
                    .append("  behind ").append(field(st, "seconds_behind_master", "?")).append(" s")
                    .append("  recent_tps ").append(field(st, "recent_tps", "?"));
        }
        String error = field(st, "error_msg", null);
        if (error != null) {
            line.append("\n    error: ").append(error);
        }
        return line.toString();
    }

    static String stage(ApiClient api) {
        return field(api.get("/api/v1/tasks/" + TASK + "/status").body(), "stage", "?");
    }

    /**
     * Waits until the task reports {@code synced} with everything up to the upstream's current position
     * applied, printing its status now and then.
     *
     * @return whether it got there within {@code timeout}
     */
    static boolean awaitSynced(ApiClient api, MariaDbInstance up, MariaDbInstance down, Duration timeout) {
        String[] target = masterPosition(up);
        System.out.printf("Waiting until the task has applied everything up to the upstream's position %s:%s ...%n",
                target[0], target[1]);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextPrint = start;
        while (System.nanoTime() < deadline) {
            String st = api.get("/api/v1/tasks/" + TASK + "/status").body();
            if (field(st, "synced", "false").equals("true") && atOrPast(field(st, "syncer_binlog", ""), target)) {
                System.out.printf("synced after %.1f s: syncer_binlog %s%n", (System.nanoTime() - start) / 1e9,
                        field(st, "syncer_binlog", ""));
                return true;
            }
            if (field(st, "stage", "").equals("Paused") && field(st, "error_msg", null) != null) {
                System.out.println("The task paused with an error: " + field(st, "error_msg", ""));
                return false;
            }
            if (System.nanoTime() >= nextPrint) {
                System.out.println("  " + statusLine(api, up, down));
                nextPrint = System.nanoTime() + 5_000_000_000L;
            }
            ServiceProcess.sleep(250);
        }
        System.out.println("Not synced within " + timeout + "; last status: " + api.get("/api/v1/tasks/" + TASK + "/status").body());
        return false;
    }

    /** Row count and a content checksum per table, upstream (the shards together) vs downstream. */
    static boolean verify(MariaDbInstance up, MariaDbInstance down) {
        String orderCols = "id, customer_id, amount, placed";
        String customerCols = "id, name, city";
        List<String[]> checks = new ArrayList<>();
        checks.add(new String[] {"shop.orders_01 + shop.orders_02 -> shop.orders",
            summary(up, orderCols, "(SELECT * FROM shop.orders_01 UNION ALL SELECT * FROM shop.orders_02) o"),
            summary(down, orderCols, "shop.orders")});
        checks.add(new String[] {"shop.customers -> shop.customers",
            summary(up, customerCols, "shop.customers"), summary(down, customerCols, "shop.customers")});
        boolean same = true;
        System.out.println("Verification (rows, checksum = sum of CRC32 of every row):");
        for (String[] c : checks) {
            boolean equal = c[1].equals(c[2]);
            same &= equal;
            System.out.printf("  %-46s upstream %-32s downstream %-32s %s%n", c[0], c[1], c[2], equal ? "identical" : "DIFFERENT");
        }
        System.out.println(same ? "=> identical" : "=> DIFFERENT");
        return same;
    }

    private static String summary(MariaDbInstance db, String columns, String from) {
        StringBuilder row = new StringBuilder("CONCAT_WS('|'");
        for (String col : columns.split(", ")) {
            row.append(", COALESCE(CAST(").append(col).append(" AS CHAR), '\\\\N')");
        }
        row.append(')');
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0) FROM " + from)) {
            rs.next();
            return rs.getLong(1) + " rows, " + rs.getString(2);
        } catch (SQLException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static String rowCount(MariaDbInstance db) {
        boolean upstream = db.flavour() == MariaDbInstance.Flavour.UPSTREAM;
        String tables = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME IN "
                + (upstream ? "('orders_01', 'orders_02', 'customers')" : "('orders', 'customers')");
        String sql = upstream
                ? "SELECT (SELECT COUNT(*) FROM shop.orders_01) + (SELECT COUNT(*) FROM shop.orders_02) + (SELECT COUNT(*) FROM shop.customers)"
                : "SELECT (SELECT COUNT(*) FROM shop.orders) + (SELECT COUNT(*) FROM shop.customers)";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            return scalarLong(s, tables) < (upstream ? 3 : 2) ? "-" : Long.toString(scalarLong(s, sql));
        } catch (SQLException e) {
            return "-";
        }
    }

    static long scalarLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String[] masterPosition(MariaDbInstance db) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the upstream's binlog position: " + e.getMessage(), e);
        }
    }

    private static boolean atOrPast(String shown, String[] pos) {
        Matcher m = POSITION.matcher(shown);
        if (!m.find()) {
            return false;
        }
        int byFile = m.group(1).compareTo(pos[0]);
        return byFile > 0 || (byFile == 0 && Long.parseLong(m.group(2)) >= Long.parseLong(pos[1]));
    }

    /** A scalar field of the (first) subtask's status: {@code "name":value} or {@code "name":"value"}. */
    private static String field(String json, String name, String otherwise) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\]]+)").matcher(json);
        if (!m.find()) {
            return otherwise;
        }
        return m.group(2) != null ? m.group(2).replace("\\\"", "\"") : m.group(1);
    }

    private static void expect(ApiClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("the API answered " + r.status() + ": " + r.body());
        }
    }
}
