package io.dmjava.worker.dump;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Comparator;

/**
 * A point in the source's binlog: file name and offset, plus the GTID set executed up to there (MariaDB
 * {@code gtid_binlog_pos} or MySQL {@code gtid_executed}; empty when unknown or GTIDs are off).
 *
 * @param file binlog file name, e.g. {@code mysql-bin.000003}; empty when the source has no binlog
 * @param pos  offset in that file
 * @param gtid the GTID set, or empty
 */
public record BinlogPosition(String file, long pos, String gtid) implements Comparable<BinlogPosition> {
    public static final BinlogPosition UNKNOWN = new BinlogPosition("", 0, "");

    private static final Comparator<BinlogPosition> ORDER = Comparator
            .comparingLong(BinlogPosition::fileSequence)
            .thenComparing(BinlogPosition::file)
            .thenComparingLong(BinlogPosition::pos);

    public BinlogPosition {
        file = file == null ? "" : file;
        gtid = gtid == null ? "" : gtid;
    }

    @JsonIgnore
    public boolean isKnown() {
        return !file.isEmpty();
    }

    /** The numeric suffix of the file name ({@code mysql-bin.000012} -> 12); files sort by it, not by name. */
    @JsonIgnore
    public long fileSequence() {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public int compareTo(BinlogPosition other) {
        return ORDER.compare(this, other);
    }

    /** DM's way of showing a position: {@code (mysql-bin.000003, 1234)}. */
    @Override
    public String toString() {
        return "(" + file + ", " + pos + ")" + (gtid.isEmpty() ? "" : " gtid " + gtid);
    }
}
