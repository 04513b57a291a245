package io.dmjava.worker.sync.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import io.dmjava.worker.db.DbFlavor;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The GTID set executed up to the stream's current transaction boundary, in the upstream's own syntax.
 * A transaction's GTID is remembered when its GTID event arrives and added only when the transaction ends,
 * so that positions inside a transaction carry the set before it.
 *
 * <p>MariaDB: one {@code domain-server-seq} per domain, the last committed one (what {@code gtid_binlog_pos}
 * and {@code gtid_slave_pos} hold). MySQL: {@code uuid:intervals}, each committed GTID merged in.
 *
 * <p>An unknown start set stays unknown (the set reads as empty): adding GTIDs to nothing would give a set
 * that claims less was executed than really was, and resuming from it would replay transactions.
 */
final class GtidTracker {
    private static final Pattern MARIADB_SET = Pattern.compile("\\d+-\\d+-\\d+(\\s*,\\s*\\d+-\\d+-\\d+)*");

    private final DbFlavor flavor;
    private final boolean known;
    private final Map<Long, String> mariadb = new TreeMap<>();
    private final GtidSet mysql;
    private long pendingDomain = -1;
    private String pending;

    /**
     * @param flavor  the upstream's flavour
     * @param initial the set executed at the start position; null when unknown
     * @throws IllegalArgumentException when the set is not in the flavour's syntax
     */
    GtidTracker(DbFlavor flavor, String initial) {
        this.flavor = flavor;
        this.known = initial != null;
        String set = initial == null ? "" : initial.strip();
        if (!set.isEmpty() && flavorOf(set) != flavor) {
            throw new IllegalArgumentException("'" + set + "' is a " + flavorOf(set) + " GTID set but the source is " + flavor);
        }
        if (flavor == DbFlavor.MARIADB) {
            this.mysql = null;
            if (!set.isEmpty()) {
                for (String gtid : set.split(",")) {
                    String g = gtid.strip();
                    mariadb.put(Long.parseLong(g.substring(0, g.indexOf('-'))), g);
                }
            }
        } else {
            this.mysql = new GtidSet(set);
        }
    }

    /** MYSQL for {@code uuid:...} sets, MARIADB for {@code d-s-n} lists; null for anything else or empty. */
    static DbFlavor flavorOf(String set) {
        String s = set.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.contains(":")) {
            return DbFlavor.MYSQL;
        }
        return MARIADB_SET.matcher(s).matches() ? DbFlavor.MARIADB : null;
    }

    /** A MariaDB GTID event: the transaction that follows is {@code domain-server-seq}. */
    void beginMariadb(long domain, long serverId, long seq) {
        pendingDomain = domain;
        pending = domain + "-" + serverId + "-" + seq;
    }

    /** A MySQL GTID event ({@code uuid:n}), or null for an anonymous one. */
    void beginMysql(String gtid) {
        pending = gtid;
    }

    /** The current transaction ended: its GTID (if any) is executed now. */
    void commit() {
        if (pending == null) {
            return;
        }
        if (flavor == DbFlavor.MARIADB) {
            mariadb.put(pendingDomain, pending);
        } else {
            mysql.add(pending);
        }
        pending = null;
    }

    /** The executed set in the upstream's syntax, or empty when unknown. */
    String current() {
        if (!known) {
            return "";
        }
        return flavor == DbFlavor.MARIADB ? String.join(",", mariadb.values()) : mysql.toString();
    }
}
