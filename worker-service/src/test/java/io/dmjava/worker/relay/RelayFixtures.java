package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import io.dmjava.testsupport.MariaDbInstance;
import io.dmjava.worker.unit.DbConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Reading binlog files back and comparing a relay directory with the upstream's binlog directory. */
final class RelayFixtures {
    /** {@code LOG_EVENT_BINLOG_IN_USE_F}: set in the format description of a file the server still writes. */
    private static final int IN_USE = 0x01;

    private RelayFixtures() {
    }

    static DbConfig db(MariaDbInstance up) {
        return new DbConfig(up.host(), up.port(), up.user(), up.password(), null);
    }

    static Path upstreamBinlogDir(MariaDbInstance up) {
        return up.directory().resolve("binlog");
    }

    /** Every event of a binlog file, read with the library's file reader, as bytes. */
    static List<byte[]> events(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (BinaryLogFileReader reader = new BinaryLogFileReader(file.toFile(), new RawEventDeserializer(4))) {
            for (Event e = reader.readEvent(); e != null; e = reader.readEvent()) {
                byte[] b = RawEventDeserializer.raw(e).bytes();
                if ((b[4] & 0xFF) == RawEvent.FORMAT_DESCRIPTION) {
                    // The server clears "in use" when it closes a file; the relay copied it while it was open.
                    b = b.clone();
                    b[17] &= (byte) ~IN_USE;
                }
                out.add(b);
            }
        }
        return out;
    }

    static List<String> binaryLogs(MariaDbInstance up) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = up.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String[] masterStatus(MariaDbInstance up) throws SQLException {
        try (Connection c = up.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    /** Waits (bounded) until the relay meta in {@code dir} reaches the upstream's current position. */
    static void awaitMeta(MariaDbInstance up, Path dir, Duration max, Supplier<String> diagnostics) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        RelayMeta meta = null;
        String[] target = null;
        while (System.nanoTime() < deadline) {
            // Read each time: MariaDB logs a binlog checkpoint event a moment after a rotation.
            target = masterStatus(up);
            meta = RelayMeta.read(dir).orElse(null);
            if (meta != null && meta.binlogName().equals(target[0]) && meta.binlogPos() == Long.parseLong(target[1])) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("relay did not reach " + Arrays.toString(target) + ", meta " + meta + "; " + diagnostics.get());
    }

    /**
     * Every relay file equals the upstream file of the same name event by event (the upstream's is longer only
     * when it is the active file), and no upstream file from the first relayed one on is missing.
     *
     * @return the number of events compared
     */
    static long assertSameEvents(Path upstreamDir, Path relayDir, List<String> upstreamFiles) throws IOException {
        List<String> relayFiles = BinlogNames.list(relayDir);
        assertThat(relayFiles).isNotEmpty();
        int first = upstreamFiles.indexOf(relayFiles.get(0));
        assertThat(first).as("first relay file %s upstream", relayFiles.get(0)).isGreaterThanOrEqualTo(0);
        assertThat(relayFiles).isEqualTo(upstreamFiles.subList(first, first + relayFiles.size()));
        long compared = 0;
        for (String f : relayFiles) {
            List<byte[]> relay = events(relayDir.resolve(f));
            List<byte[]> upstream = events(upstreamDir.resolve(f));
            assertThat(relay.size()).as("events in %s", f).isLessThanOrEqualTo(upstream.size());
            for (int i = 0; i < relay.size(); i++) {
                assertThat(relay.get(i)).as("event %d of %s", i, f).isEqualTo(upstream.get(i));
            }
            compared += relay.size();
        }
        return compared;
    }

    /** Runs {@code mariadb-binlog} on a relay file; returns its output, failing on a non-zero exit. */
    static String mariadbBinlog(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mariadb-binlog", "--base64-output=decode-rows", "-vv", file.toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(new String(out)).isZero();
        return new String(out);
    }
}
