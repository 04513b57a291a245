package io.dmjava.testsupport.service;

import io.dmjava.testsupport.MariaDbInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * The playground's demo migration: an upstream with sample sharded data, a downstream, one source and
 * one full task created through the REST API exactly as a user would, then a checksum comparison.
 */
final class PlaygroundDemo {
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
        // Grow each shard by doubling: ~130k orders in a few seconds.
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
        expect(api.post("/api/v1/tasks", "{\"task\":{\"name\":\"demo\",\"task_mode\":\"full\","
                + "\"target_config\":{\"host\":\"127.0.0.1\",\"port\":" + down.port() + ",\"user\":\"root\",\"password\":\"\"},"
                + "\"table_migrate_rule\":["
                + "{\"source\":{\"source_name\":\"demo-source\",\"schema\":\"shop\",\"table\":\"orders_*\"},"
                + "\"target\":{\"schema\":\"shop\",\"table\":\"orders\"}},"
                + "{\"source\":{\"source_name\":\"demo-source\",\"schema\":\"shop\",\"table\":\"customers\"}}],"
                + "\"source_config\":{\"source_conf\":[{\"source_name\":\"demo-source\"}]}}}"), 201);
        for (int i = 0; i < 300 && api.get("/api/v1/sources/demo-source/status").body().contains("\"worker_name\":\"\""); i++) {
            ServiceProcess.sleep(100);
        }
        expect(api.post("/api/v1/tasks/demo/start", "{}"), 200);
    }

    /** Prints the task's status until it finishes (or pauses with an error). */
    static boolean followTask(ApiClient api, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String st = api.get("/api/v1/tasks/demo/status").body();
            if (!st.equals(last)) {
                System.out.println("task demo: " + st);
                last = st;
            }
            if (st.contains("\"stage\":\"Finished\"")) {
                return true;
            }
            if (st.contains("\"stage\":\"Paused\"")) {
                return false;
            }
            ServiceProcess.sleep(1000);
        }
        return false;
    }

    /** Row counts upstream vs downstream, and whether the merged orders match the shards exactly. */
    static String verify(MariaDbInstance up, MariaDbInstance down) {
        String shards = scalar(up, "SELECT CONCAT(COUNT(*), ' rows, sum ', SUM(amount), ', ids ', BIT_XOR(id)) FROM "
                + "(SELECT id, amount FROM shop.orders_01 UNION ALL SELECT id, amount FROM shop.orders_02) o");
        String merged = scalar(down, "SELECT CONCAT(COUNT(*), ' rows, sum ', SUM(amount), ', ids ', BIT_XOR(id)) FROM shop.orders");
        return "upstream shards: " + shards + "\ndownstream shop.orders: " + merged
                + (shards.equals(merged) ? "\n=> identical" : "\n=> DIFFERENT");
    }

    private static String scalar(MariaDbInstance db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static void expect(ApiClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("the API answered " + r.status() + ": " + r.body());
        }
    }
}
