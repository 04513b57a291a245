package io.dmjava.worker.relay;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.DbFlavor;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Where a new relay (no files yet) starts: always at the beginning of an upstream file, so offsets stay equal. */
final class RelayStart {
    private RelayStart() {
    }

    /**
     * {@code relay_binlog_name}; else the file holding the first transaction after {@code relay_binlog_gtid}; else
     * the oldest file a subtask still needs; else the upstream's current file.
     */
    static String choose(RelayOptions opts, RelayUpstream up, DbFlavor flavor, List<String> logs, RelayRetention retention)
            throws RelayException {
        String where = opts.upstream().host() + ":" + opts.upstream().port();
        try {
            if (!opts.startName().isEmpty()) {
                if (!logs.contains(opts.startName())) {
                    throw unavailable(opts, opts.startName(), "it is not among the source's binary logs " + logs);
                }
                return opts.startName();
            }
            if (!opts.startGtid().isEmpty()) {
                String f = up.fileStartingWithin(flavor, opts.startGtid(), logs);
                if (f == null) {
                    throw unavailable(opts, "GTID set " + opts.startGtid(),
                            "the oldest binary log starts after it (the rest was purged)");
                }
                return f;
            }
            Optional<String> needed = retention.oldestNeeded(opts.source());
            if (needed.isPresent() && logs.contains(needed.get())) {
                return needed.get();
            }
            return up.masterStatus(flavor).file();
        } catch (SQLException e) {
            throw RelayErrors.fromSql(opts.source(), where, e);
        } catch (IllegalArgumentException e) {
            throw unavailable(opts, "GTID set " + opts.startGtid(), e.getMessage());
        }
    }

    private static RelayException unavailable(RelayOptions opts, Object at, String why) {
        return new RelayException(ErrorCode.RELAY_POSITION_UNAVAILABLE, false, null, opts.source(), at, why);
    }
}
