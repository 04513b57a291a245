package io.dmjava.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server ({@code mariadbd}) on a loopback port with a fresh data dir, reachable as
 * {@code root} with an empty password. The {@link Flavour#UPSTREAM upstream} flavour is configured the
 * way DM needs a source: row-based binlog with full row images and metadata, and GTIDs in strict mode.
 * {@link #close()} stops the server and deletes its dir.
 */
public final class MariaDbInstance implements AutoCloseable {

    /** What the server is for in a migration test. */
    public enum Flavour {
        /** A DM source: binlog on, ROW format, FULL row image and metadata, strict GTIDs. */
        UPSTREAM,
        /** A DM target: no binlog. */
        DOWNSTREAM
    }

    private static final Logger log = LoggerFactory.getLogger(MariaDbInstance.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    // Kept small so that many instances start quickly and fit in a CI box; install-db and the server
    // must agree on the redo log size or the first start would spend time resizing it.
    private static final List<String> INNODB_OPTIONS = List.of(
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=48M");

    private final Flavour flavour;
    private final int serverId;
    private final int port;
    private final Path dir;
    private final List<String> command;
    private volatile ManagedProcess process;

    private MariaDbInstance(Flavour flavour, int serverId, int port, Path dir, List<String> command) {
        this.flavour = flavour;
        this.serverId = serverId;
        this.port = port;
        this.dir = dir;
        this.command = command;
    }

    /** A binlog-enabled DM source with a server id unique in this JVM. */
    public static MariaDbInstance startUpstream() {
        return start(Flavour.UPSTREAM, ProcessRegistry.get().nextServerId());
    }

    /** A DM target without binlog, with a server id unique in this JVM. */
    public static MariaDbInstance startDownstream() {
        return start(Flavour.DOWNSTREAM, ProcessRegistry.get().nextServerId());
    }

    /**
     * Initialises a data dir, starts the server and waits until root can connect over TCP.
     *
     * @throws IllegalStateException when initialisation fails or the server is not ready within 60 s;
     *                               the message carries the tail of the relevant log
     */
    public static MariaDbInstance start(Flavour flavour, int serverId) {
        // Resolved first, so a missing binary fails before anything is created.
        Path mariadbd = Binaries.mariadbd();
        Path installDb = Binaries.mariadbInstallDb();
        long began = System.nanoTime();
        Path dir = ProcessLauncher.createTempDir("dm-mariadb-");
        MariaDbInstance instance = null;
        try {
            int port = FreePorts.allocate();
            MariaDbDataDirs.provision(installDb, INNODB_OPTIONS, dir.resolve("data"));
            long provisioned = System.nanoTime();
            instance = new MariaDbInstance(flavour, serverId, port, dir,
                    serverCommand(mariadbd, flavour, serverId, port, dir));
            instance.launch();
            log.info("MariaDB {} server-id {} ready on port {} in {} ms (data dir {} ms)", flavour, serverId,
                    port, (System.nanoTime() - began) / 1_000_000, (provisioned - began) / 1_000_000);
            return instance;
        } catch (RuntimeException e) {
            try {
                if (instance != null) {
                    instance.close();
                } else {
                    ProcessLauncher.deleteTempDir(dir);
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static List<String> serverCommand(Path mariadbd, Flavour flavour, int serverId, int port, Path dir) {
        // A private tmpdir: temporary tables in the shared /tmp can be swept away by other processes' cleanup.
        Path tmp = dir.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp, e);
        }
        List<String> cmd = new ArrayList<>(List.of(
                mariadbd.toString(),
                "--no-defaults",
                "--user=" + System.getProperty("user.name"),
                "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--tmpdir=" + tmp,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_bin",
                "--max-connections=500",
                "--local-infile=1",
                "--server-id=" + serverId));
        cmd.addAll(INNODB_OPTIONS);
        if (flavour == Flavour.UPSTREAM) {
            Path binlogDir = dir.resolve("binlog");
            try {
                Files.createDirectories(binlogDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + binlogDir, e);
            }
            cmd.addAll(List.of(
                    "--log-bin=" + binlogDir.resolve("mysql-bin"),
                    "--binlog-format=ROW",
                    "--binlog-row-image=FULL",
                    "--binlog-row-metadata=FULL",
                    "--log-slave-updates",
                    // MariaDB always writes GTIDs; strict mode makes out-of-order ones an error, as DM expects.
                    "--gtid-domain-id=0",
                    "--gtid-strict-mode=1"));
        }
        return List.copyOf(cmd);
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The TCP port, fixed for the instance's lifetime (kept across restarts). */
    public int port() {
        return port;
    }

    /** Always {@code root}. */
    public String user() {
        return "root";
    }

    /** Always empty. */
    public String password() {
        return "";
    }

    /** The {@code server_id}, unique among instances started by this JVM. */
    public int serverId() {
        return serverId;
    }

    /** Upstream (DM source) or downstream (DM target). */
    public Flavour flavour() {
        return flavour;
    }

    /** The scratch dir with the data dir, socket, binlogs and logs. */
    public Path directory() {
        return dir;
    }

    /**
     * A JDBC URL for root on this server.
     *
     * @param database default schema, or empty / null for none
     */
    public String jdbcUrl(String database) {
        String db = database == null ? "" : database;
        return "jdbc:mariadb://" + host() + ":" + port + "/" + db + "?user=" + user() + "&allowLocalInfile=true";
    }

    /** A new connection as root without a default schema; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""));
    }

    /**
     * Runs statements in order on one connection.
     *
     * @throws IllegalStateException wrapping the first {@link SQLException}, naming the statement
     */
    public void execute(String... sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                try {
                    statement.execute(each);
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed on " + this + ": " + each + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + this + ": " + e.getMessage(), e);
        }
    }

    /** The current server process; a new handle after each {@link #restart()}. */
    public ManagedProcess process() {
        return process;
    }

    /** SIGKILLs the server, like a crash; InnoDB recovers on the next {@link #restart()}. */
    public void kill() {
        process.kill();
    }

    /** Shuts the server down gracefully (SIGTERM, SIGKILL after 30 s). */
    public void stop() {
        process.terminate(STOP_GRACE);
    }

    /** Starts the server again on the same data dir and port (stopping it first if needed), waits ready. */
    public void restart() {
        if (process != null && process.isAlive()) {
            stop();
        }
        launch();
    }

    /** Stops the server and deletes its dir. */
    @Override
    public void close() {
        try {
            if (process != null) {
                stop();
            }
        } finally {
            ProcessLauncher.deleteTempDir(dir);
        }
    }

    private void launch() {
        String label = "mariadb-" + flavour.name().toLowerCase(Locale.ROOT) + "-" + serverId;
        process = ProcessLauncher.launch(label, command, dir, dir.resolve("mariadbd.log"), Map.of());
        Readiness.await(process, label + " on port " + port, READY_TIMEOUT, this::acceptsConnections);
    }

    private boolean acceptsConnections() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("") + "&connectTimeout=1000")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "MariaDB " + flavour + " server-id " + serverId + " at " + host() + ":" + port;
    }
}
