package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.GtidSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows the relayed events to know where transactions end and which GTID set the relay holds at such a
 * boundary. The relay's meta only ever points at a boundary: resuming there needs no table map and no half
 * transaction, and its GTID set is exact.
 *
 * <p>MariaDB: a GTID event opens a transaction (or, flagged standalone, precedes one DDL statement) and XID or
 * COMMIT closes it; the state is the last GTID per domain, started from the file's GTID_LIST. MySQL: GTID then
 * BEGIN ... XID/COMMIT, or GTID then one DDL; the set starts from the file's PREVIOUS_GTIDS.
 */
final class TxnTracker {
    private static final int MARIADB_FL_STANDALONE = 1;

    private final boolean mariadb;
    /** MariaDB: domain -> "domain-server-seq". */
    private final Map<Long, String> mariadbState = new TreeMap<>();
    private GtidSet mysqlSet;
    private boolean known;
    private boolean inTxn;
    private String pending;

    /**
     * @param mariadb the source's flavour
     * @param gtid    the GTID set at the start point; empty when not known yet (the next file's first events set it)
     */
    TxnTracker(boolean mariadb, String gtid) {
        this.mariadb = mariadb;
        reset(gtid);
    }

    /** Restarts from a boundary with this set (empty: unknown until the next GTID_LIST/PREVIOUS_GTIDS). */
    void reset(String gtid) {
        inTxn = false;
        pending = null;
        mariadbState.clear();
        mysqlSet = null;
        known = gtid != null && !gtid.isBlank();
        if (!known) {
            return;
        }
        if (mariadb) {
            for (String part : gtid.split(",")) {
                String p = part.strip();
                if (!p.isEmpty()) {
                    mariadbState.put(Long.parseLong(p.substring(0, p.indexOf('-'))), p);
                }
            }
        } else {
            mysqlSet = new GtidSet(gtid.strip());
        }
    }

    /** Takes the event into account; returns whether the stream is at a transaction boundary after it. */
    boolean accept(RawEvent e) {
        byte[] b = e.bytes();
        int body = RawEvent.HEADER_LENGTH;
        switch (e.type()) {
            case RawEvent.MARIADB_GTID_LIST -> {
                if (!known) {
                    long count = RawEvent.u32(b, body) & 0x0FFF_FFFFL;
                    for (int i = 0; i < count; i++) {
                        int off = body + 4 + i * 16;
                        long domain = RawEvent.u32(b, off);
                        mariadbState.put(domain, domain + "-" + RawEvent.u32(b, off + 4) + "-" + RawEvent.u64(b, off + 8));
                    }
                    known = true;
                }
            }
            case RawEvent.PREVIOUS_GTIDS -> {
                if (!known) {
                    mysqlSet = new GtidSet(previousGtids(b, body));
                    known = true;
                }
            }
            case RawEvent.MARIADB_GTID -> {
                long seq = RawEvent.u64(b, body);
                long domain = RawEvent.u32(b, body + 8);
                int flags = b[body + 12] & 0xFF;
                pending = domain + "-" + e.serverId() + "-" + seq;
                inTxn = (flags & MARIADB_FL_STANDALONE) == 0;
            }
            case RawEvent.GTID -> pending = uuid(b, body + 1) + ":" + RawEvent.u64(b, body + 17);
            case RawEvent.ANONYMOUS_GTID -> pending = "";
            case RawEvent.QUERY -> {
                String sql = e.querySql().strip().toUpperCase(Locale.ROOT);
                if (sql.equals("BEGIN") || sql.startsWith("XA START") || sql.startsWith("XA BEGIN")) {
                    inTxn = true;
                } else if (!inTxn || sql.equals("COMMIT") || sql.equals("ROLLBACK")) {
                    commit();
                }
            }
            case RawEvent.XID, RawEvent.XA_PREPARE -> commit();
            default -> {
                // rows, table maps, annotations and the like belong to the open transaction
            }
        }
        return !inTxn && pending == null;
    }

    /** The GTID set of every transaction completed so far; empty when not known yet. */
    String gtidSet() {
        if (!known) {
            return "";
        }
        return mariadb ? String.join(",", mariadbState.values()) : mysqlSet.toString();
    }

    private void commit() {
        if (pending != null && !pending.isEmpty() && known) {
            if (mariadb) {
                mariadbState.put(Long.parseLong(pending.substring(0, pending.indexOf('-'))), pending);
            } else {
                mysqlSet.add(pending);
            }
        }
        pending = null;
        inTxn = false;
    }

    private static String previousGtids(byte[] b, int off) {
        long sids = RawEvent.u64(b, off);
        StringBuilder out = new StringBuilder();
        int p = off + 8;
        for (long i = 0; i < sids; i++) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(uuid(b, p));
            p += 16;
            long intervals = RawEvent.u64(b, p);
            p += 8;
            for (long j = 0; j < intervals; j++) {
                long start = RawEvent.u64(b, p);
                long end = RawEvent.u64(b, p + 8) - 1; // stored end is exclusive
                p += 16;
                out.append(':').append(start);
                if (end != start) {
                    out.append('-').append(end);
                }
            }
        }
        return out.toString();
    }

    private static String uuid(byte[] b, int off) {
        StringBuilder s = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                s.append('-');
            }
            s.append(String.format("%02x", b[off + i] & 0xFF));
        }
        return s.toString();
    }
}
