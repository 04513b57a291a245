package io.dmjava.worker.sync.binlog;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.unit.DbConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Where and how a stream starts, resolved against the source before the replication connection is opened:
 * the source's flavour, whether it can be replicated exactly at all, and the GTID set at the start.
 *
 * @param flavor      MySQL or MariaDB
 * @param byGtid      start from {@link #gtid()} (the source skips what it holds) rather than from file/pos
 * @param file        start file (file/pos mode)
 * @param pos         start offset (file/pos mode)
 * @param gtid        the GTID set executed at the start; null when unknown (then every position's GTID set
 *                    stays empty)
 */
record StartPoint(DbFlavor flavor, boolean byGtid, String file, long pos, String gtid) {

    /**
     * Asks the source over SQL.
     *
     * @throws BinlogStreamException when the source is unreachable, refuses the user, does not log ROW events
     *                               with full images, or the start does not fit it
     */
    static StartPoint resolve(DbConfig source, BinlogPosition start, boolean byGtid) throws BinlogStreamException {
        String where = source.host() + ":" + source.port();
        try (Connection c = new JdbcConnector(source, List.of()).open()) {
            DbFlavor flavor = DbFlavor.detect(c);
            checkBinlogSettings(c, where);
            String gtid = start.gtid().strip();
            if (!gtid.isEmpty() && GtidTracker.flavorOf(gtid) != flavor) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_POSITION_UNAVAILABLE, false, null, where, start,
                        "'" + gtid + "' is not a " + flavor + " GTID set");
            }
            boolean useGtid = byGtid && !gtid.isEmpty();
            if (!useGtid && !start.isKnown()) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_POSITION_UNAVAILABLE, false, null, where, start,
                        "no start point: neither a binlog file nor a GTID set");
            }
            String initial = gtid.isEmpty() ? null : gtid;
            if (initial == null && flavor == DbFlavor.MARIADB) {
                initial = mariadbGtidAt(c, start);
            }
            return new StartPoint(flavor, useGtid, start.file(), start.pos(), initial);
        } catch (SQLException e) {
            throw BinlogErrors.fromSql(where, e);
        }
    }

    /**
     * The start of a read from the relay files at {@code start} (file/pos): resolved against the upstream like a
     * stream's when it answers (same checks, and on MariaDB the GTID set at an unknown-GTID position), else from
     * what the files say ({@code fileFlavor}) and the position's own GTID set: the relay is meant to keep the
     * subtask going while the upstream is away.
     */
    static StartPoint forRelay(DbConfig source, BinlogPosition start, DbFlavor fileFlavor) throws BinlogStreamException {
        try {
            StartPoint p = resolve(source, start, false);
            return p.flavor() == fileFlavor ? p : offline(start, fileFlavor);
        } catch (BinlogStreamException e) {
            if (!e.retryable()) {
                throw e;
            }
            return offline(start, fileFlavor);
        }
    }

    private static StartPoint offline(BinlogPosition start, DbFlavor flavor) {
        String gtid = start.gtid().strip();
        return new StartPoint(flavor, false, start.file(), start.pos(),
                gtid.isEmpty() || GtidTracker.flavorOf(gtid) != flavor ? null : gtid);
    }

    /** How the start is shown in messages. */
    String describe() {
        return byGtid ? "GTID set " + gtid : new BinlogPosition(file, pos, gtid).toString();
    }

    private static void checkBinlogSettings(Connection c, String where) throws SQLException, BinlogStreamException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null, where,
                        "binary logging is off (log_bin)");
            }
            String format = String.valueOf(rs.getString(2)).toUpperCase(Locale.ROOT);
            String image = String.valueOf(rs.getString(3)).toUpperCase(Locale.ROOT);
            if (!format.equals("ROW")) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null, where,
                        "binlog_format is " + format);
            }
            if (!image.equals("FULL")) {
                throw new BinlogStreamException(ErrorCode.SYNC_BINLOG_UNSUPPORTED, false, null, where,
                        "binlog_row_image is " + image);
            }
        }
    }

    /** MariaDB translates a file/pos into its GTID position exactly; null when the offset is not a boundary. */
    private static String mariadbGtidAt(Connection c, BinlogPosition start) throws SQLException {
        if (!start.isKnown()) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, start.file());
            ps.setLong(2, start.pos());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
