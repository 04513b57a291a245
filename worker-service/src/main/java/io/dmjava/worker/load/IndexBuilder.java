package io.dmjava.worker.load;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.load.IndexDeferral.DeferredIndex;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a table's deferred secondary indexes once all its rows are in: one {@code ALTER TABLE ... ADD KEY ...,
 * ADD KEY ...}, so InnoDB reads the table once and builds every index by sorting; then restores the table's
 * comment, which held their definitions ({@link PendingIndexes}). Idempotent: what is missing is read from the
 * downstream itself (the comment, information_schema.STATISTICS) each time, never remembered, so a run after a
 * crash before, during or after either ALTER does exactly what is left. (The server finishes an ALTER
 * whose client died, or rolls it back if it crashed itself; a second ALTER then waits for the first one's
 * lock and finds the index there.)
 */
final class IndexBuilder {
    private static final Logger log = LoggerFactory.getLogger(IndexBuilder.class);
    /** ER_DUP_KEYNAME: an ALTER of an earlier run added the index while this one waited for the table. */
    private static final int ER_DUP_KEYNAME = 1061;
    /** Building an index of a big table legitimately keeps the connection silent for a long time. */
    private static final int ALTER_NETWORK_TIMEOUT_MS = (int) TimeUnit.HOURS.toMillis(24);

    private final JdbcConnector connector;
    private final SqlRetry retry;

    IndexBuilder(JdbcConnector connector, SqlRetry retry) {
        this.connector = connector;
        this.retry = retry;
    }

    /** Adds those of {@code table}'s deferred indexes it does not have; returns how many were added. */
    int build(TargetTable table) throws InterruptedException {
        try {
            return retry.call("add the indexes of " + table.name(), () -> attempt(table));
        } catch (InterruptedException | DmException e) {
            throw e;
        } catch (Exception e) {
            throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, e, "the indexes " + names(table.deferred()) + " of "
                    + table.name(), SqlErrors.describe(e));
        }
    }

    private int attempt(TargetTable table) throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement()) {
            c.setNetworkTimeout(Runnable::run, ALTER_NETWORK_TIMEOUT_MS);
            for (int round = 0; ; round++) {
                Optional<PendingIndexes> pending = PendingIndexes.read(c, table.name());
                if (pending.isEmpty()) {
                    return 0; // done by an earlier run, or by another source's load
                }
                List<DeferredIndex> missing = missing(c, table.name(), pending.get().indexes());
                long t0 = System.nanoTime();
                try {
                    if (!missing.isEmpty()) {
                        st.execute("ALTER TABLE " + table.name().quoted() + " " + IndexDeferral.addClauses(missing));
                    }
                } catch (SQLException e) {
                    if (e.getErrorCode() == ER_DUP_KEYNAME && round < 3) {
                        continue;
                    }
                    throw e;
                }
                // Only now, the indexes being in: a crash before this leaves the record for the next run.
                st.execute("ALTER TABLE " + table.name().quoted() + " COMMENT = " + SqlText.literal(pending.get().original()));
                log.info("added the indexes {} of {} in {} ms", names(missing), table.name(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return missing.size();
            }
        }
    }

    /** Those of {@code indexes} the table does not have now, in their original order. */
    private static List<DeferredIndex> missing(Connection c, TableName table, List<DeferredIndex> indexes) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1).toLowerCase(Locale.ROOT)); // index names ignore case
                }
            }
        }
        return indexes.stream().filter(i -> !present.contains(i.name().toLowerCase(Locale.ROOT))).toList();
    }

    private static List<String> names(List<DeferredIndex> indexes) {
        return indexes.stream().map(DeferredIndex::name).toList();
    }
}
