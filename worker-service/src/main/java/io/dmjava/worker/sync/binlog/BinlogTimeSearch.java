package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.PreviousGtidSetEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.unit.DbConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a {@code start_time} begins in the upstream's binlog: the start of the first transaction (or
 * standalone statement) whose event timestamp is at or after the time. Event timestamps have one-second
 * resolution and are the time the statement began, so "at or after" is decided per second.
 *
 * <p>The files of {@code SHOW BINARY LOGS} are searched by halves, each probe reading only the head of a file
 * up to its first transaction; then the chosen file is read from its start up to the wanted transaction.
 * When no transaction starts at or after the time, replication starts at the binlog's current end (the time is
 * not after the upstream's clock: everything logged from then on is later). When every transaction still in
 * the binlog is later than the time and older files were purged, the events of the time may be gone: that is an
 * error, unless the oldest file is the server's first ({@code .000001}), so nothing older ever existed.
 */
public final class BinlogTimeSearch {
    private static final Logger log = LoggerFactory.getLogger(BinlogTimeSearch.class);

    /**
     * @param position  where replication starts: a transaction's first event, or the binlog's end; its GTID set
     *                  is the one executed before it (empty when the source has no GTIDs)
     * @param timestamp the found transaction's timestamp (epoch seconds); null at the binlog's end
     * @param probes    binlog connections the search used (for logs and tests)
     */
    public record Found(BinlogPosition position, Long timestamp, int probes) {
    }

    private final DbConfig source;
    private final String sourceName;
    private final BinlogHeadReader reader;
    private int probes;

    public BinlogTimeSearch(DbConfig source, String sourceName, long serverId) {
        this.source = source;
        this.sourceName = sourceName;
        this.reader = new BinlogHeadReader(source, serverId, 10_000);
    }

    /**
     * @param epochSecond the start time as an instant
     * @param shown       the start time as the user wrote it (for messages)
     * @throws DmException 51113 when the time is after the upstream's clock, 51112 when its binlog was purged,
     *                     51114 when the upstream cannot be read
     */
    public Found find(long epochSecond, String shown) {
        List<String> files;
        DbFlavor flavor;
        try (Connection c = new JdbcConnector(source, List.of()).open()) {
            flavor = DbFlavor.detect(c);
            long now = scalarLong(c, "SELECT UNIX_TIMESTAMP()");
            if (epochSecond > now) {
                throw new DmException(ErrorCode.SYNC_START_TIME_TOO_LATE, shown, sourceName, Instant.ofEpochSecond(now));
            }
            files = binaryLogs(c);
        } catch (SQLException e) {
            throw failed(shown, SqlErrors.describe(e));
        }
        if (files.isEmpty()) {
            throw failed(shown, "the source lists no binary logs (is log_bin on?)");
        }
        // The last file whose transactions (counting on into later files when it has none) begin before the time.
        int lo = 0;
        int hi = files.size() - 1;
        int from = -1;
        Head oldest = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Head h = head(files.get(mid), shown);
            if (mid == 0) {
                oldest = h;
            }
            if (h.firstTxn() != null && h.firstTxn() < epochSecond) {
                from = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (from < 0) {
            from = 0;
            if (oldest == null) {
                oldest = head(files.get(0), shown);
            }
            boolean first = new BinlogPosition(files.get(0), 4, "").fileSequence() == 1;
            // Purged events are older than the oldest file's creation: only then can they be at or after the time.
            if (!first && oldest.created() >= epochSecond) {
                throw new DmException(ErrorCode.SYNC_START_TIME_PURGED, sourceName, shown, files.get(0),
                        Instant.ofEpochSecond(oldest.created()));
            }
        }
        Found found = scan(files.get(from), epochSecond, flavor, shown);
        log.info("start_time {} ({}) of source '{}': {} ({} binlog reads over {} files)", shown,
                Instant.ofEpochSecond(epochSecond), sourceName, found.timestamp() == null ? "no transaction at or after it,"
                        + " starting at the binlog's end " + found.position() : "first transaction at " + found.position()
                        + " written at " + Instant.ofEpochSecond(found.timestamp()), found.probes(), files.size());
        return found;
    }

    /** When {@code file} was created and when its first transaction (or the next file's) began; null: none yet. */
    private record Head(long created, Long firstTxn) {
    }

    private Head head(String file, String shown) {
        long[] created = {-1};
        Long[] first = {null};
        TxnStarts starts = new TxnStarts();
        read(file, shown, e -> {
            if (created[0] < 0 && e.type() == EventType.FORMAT_DESCRIPTION) {
                created[0] = e.timestampSeconds();
            }
            if (starts.opens(e)) {
                first[0] = e.timestampSeconds();
                return false;
            }
            return true;
        });
        return new Head(created[0], first[0]);
    }

    private Found scan(String file, long epochSecond, DbFlavor flavor, String shown) {
        TxnStarts starts = new TxnStarts();
        BinlogPosition[] end = {null};
        BinlogPosition[] at = {null};
        Long[] ts = {null};
        GtidSet[] mysqlGtids = {new GtidSet("")};
        read(file, shown, e -> {
            boolean opens = starts.opens(e);
            if (opens && e.timestampSeconds() >= epochSecond) {
                at[0] = new BinlogPosition(e.file(), e.header().getPosition(), "");
                ts[0] = e.timestampSeconds();
                return false;
            }
            if (e.data() instanceof PreviousGtidSetEventData p) {
                mysqlGtids[0] = new GtidSet(p.getGtidSet());
            } else if (e.data() instanceof GtidEventData g && g.getGtid() != null) {
                mysqlGtids[0].add(g.getGtid());
            }
            if (e.header().getNextPosition() > 0) {
                end[0] = new BinlogPosition(e.file(), e.header().getNextPosition(), "");
            }
            return true;
        });
        BinlogPosition p = at[0] != null ? at[0] : end[0];
        if (p == null) {
            throw failed(shown, "the binlog of " + file + " could not be read");
        }
        String gtid = flavor == DbFlavor.MARIADB ? mariadbGtidAt(p, shown) : mysqlGtids[0].toString();
        return new Found(new BinlogPosition(p.file(), p.pos(), gtid), ts[0], probes);
    }

    private void read(String file, String shown, BinlogHeadReader.Visitor visitor) {
        probes++;
        try {
            reader.read(file, visitor);
        } catch (IOException e) {
            throw failed(shown, "reading binlog " + file + ": " + e.getMessage());
        }
    }

    private String mariadbGtidAt(BinlogPosition p, String shown) {
        try (Connection c = new JdbcConnector(source, List.of()).open();
             PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, p.file());
            ps.setLong(2, p.pos());
            try (ResultSet rs = ps.executeQuery()) {
                String g = rs.next() ? rs.getString(1) : null;
                return g == null ? "" : g;
            }
        } catch (SQLException e) {
            throw failed(shown, SqlErrors.describe(e));
        }
    }

    private DmException failed(String shown, String why) {
        return new DmException(ErrorCode.SYNC_START_TIME_SEARCH_FAILED, shown, sourceName, why);
    }

    private static List<String> binaryLogs(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long scalarLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Tells which events open a transaction group, the points replication can start at: a GTID event (MariaDB's
     * opens the whole group; MySQL's is followed by BEGIN or by a standalone statement), else a BEGIN or a
     * statement outside any transaction. Statements inside a transaction (SAVEPOINT...) open nothing.
     */
    static final class TxnStarts {
        private boolean inGroup;
        /** Whether the open group is a single statement; null until known (MySQL: its first query tells). */
        private Boolean standalone;

        boolean opens(BinlogHeadReader.Read e) {
            switch (e.type()) {
                case MARIADB_GTID: {
                    inGroup = true;
                    standalone = e.data() instanceof MariadbGtidEventData g && (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0;
                    return true;
                }
                case GTID:
                case ANONYMOUS_GTID:
                    inGroup = true;
                    standalone = null;
                    return true;
                case QUERY: {
                    String sql = e.data() instanceof QueryEventData q ? q.getSql().strip().toUpperCase(Locale.ROOT) : "";
                    boolean begins = sql.equals("BEGIN") || sql.startsWith("XA START") || sql.startsWith("XA BEGIN");
                    if (!inGroup) {
                        inGroup = begins;
                        standalone = !begins;
                        return true;
                    }
                    if (sql.equals("COMMIT") || sql.equals("ROLLBACK") || Boolean.TRUE.equals(standalone)
                            || (standalone == null && !begins)) {
                        inGroup = false;
                    }
                    standalone = standalone == null ? Boolean.FALSE : standalone;
                    return false;
                }
                case XID:
                case XA_PREPARE:
                case ROTATE:
                    inGroup = false;
                    return false;
                default:
                    return false;
            }
        }
    }
}
