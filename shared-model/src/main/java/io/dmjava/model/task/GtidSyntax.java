package io.dmjava.model.task;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Syntax of a start GTID set: MySQL's {@code uuid:1-100[:tag:5][,uuid:1-7]} (tags since MySQL 8.3) or
 * MariaDB's {@code domain-server-sequence[,domain-server-sequence]}. Whether the set exists upstream is
 * the precheck's business, not ours.
 */
public final class GtidSyntax {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    private static final Pattern INTERVAL = Pattern.compile("([0-9]+)(?:-([0-9]+))?");
    private static final Pattern MARIADB_GTID = Pattern.compile("([0-9]+)-([0-9]+)-([0-9]+)");
    private static final BigInteger MAX_UINT32 = BigInteger.valueOf(0xFFFF_FFFFL);
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger MAX_GNO = BigInteger.valueOf(Long.MAX_VALUE);

    private GtidSyntax() {
    }

    /** Null when the set is well-formed, else what is wrong with it. */
    public static String check(String gtidSet) {
        String error = gtidSet.contains(":") ? checkMysql(gtidSet) : checkMariadb(gtidSet);
        return error == null ? null : "'" + gtidSet + "' is not a GTID set: " + error
                + "; expected MySQL uuid:1-100[,uuid:1-5] or MariaDB domain-server-sequence[,...]";
    }

    private static String checkMysql(String set) {
        for (String uuidSet : set.split(",", -1)) {
            String[] parts = uuidSet.strip().split(":", -1);
            if (!UUID.matcher(parts[0]).matches()) {
                return "'" + parts[0] + "' is not a server UUID";
            }
            boolean hasInterval = false;
            for (int i = 1; i < parts.length; i++) {
                if (TAG.matcher(parts[i]).matches()) {
                    continue;
                }
                String error = checkInterval(parts[i]);
                if (error != null) {
                    return error;
                }
                hasInterval = true;
            }
            if (!hasInterval) {
                return "'" + uuidSet.strip() + "' has no transaction interval such as 1-100";
            }
        }
        return null;
    }

    private static String checkInterval(String interval) {
        var m = INTERVAL.matcher(interval);
        if (!m.matches()) {
            return "'" + interval + "' is not an interval such as 1-100";
        }
        BigInteger start = new BigInteger(m.group(1));
        BigInteger end = m.group(2) == null ? start : new BigInteger(m.group(2));
        if (start.signum() == 0 || end.compareTo(MAX_GNO) > 0) {
            return "interval '" + interval + "' is outside 1.." + MAX_GNO;
        }
        if (end.compareTo(start) < 0) {
            return "interval '" + interval + "' ends before it starts";
        }
        return null;
    }

    private static String checkMariadb(String list) {
        for (String gtid : list.split(",", -1)) {
            var m = MARIADB_GTID.matcher(gtid.strip());
            if (!m.matches()) {
                return "'" + gtid.strip() + "' is not a MariaDB GTID domain-server-sequence";
            }
            if (new BigInteger(m.group(1)).compareTo(MAX_UINT32) > 0 || new BigInteger(m.group(2)).compareTo(MAX_UINT32) > 0
                    || new BigInteger(m.group(3)).compareTo(MAX_UINT64) > 0) {
                return "'" + gtid.strip() + "' has a number out of range";
            }
        }
        return null;
    }
}
