package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata.TableDump;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies the downstream for a load: the meta tables, the checkpoint of earlier runs, the target schemas and
 * tables. When the checkpoint holds chunks of another snapshot, the dump was taken again after a load had
 * started from it. If that happened in the same dump directory (a crash while dump and load ran together),
 * every such chunk went into a table this source's load created for that directory, and nothing else writes
 * to those tables, they are dropped and the load starts afresh. Otherwise (another task generation, tables
 * that existed before, several sources) the load refuses to mix two dumps (LOAD_CHECKPOINT_MISMATCH), as
 * before: the user must decide.
 */
final class LoadPreparer {
    private static final Logger log = LoggerFactory.getLogger(LoadPreparer.class);

    /** The chunks already imported (id -> snapshot) and every target table. */
    record Prepared(Map<String, String> done, Map<TableName, TargetTable> targets) {
        Prepared {
            done = Map.copyOf(done);
            targets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targets));
        }
    }

    private final CheckpointStore checkpoints;
    private final TableMarkers markers;
    private final DumpFiles files;
    private final String source;
    private final boolean deferIndexes;

    LoadPreparer(CheckpointStore checkpoints, TableMarkers markers, DumpFiles files, String source, boolean deferIndexes) {
        this.checkpoints = checkpoints;
        this.markers = markers;
        this.files = files;
        this.source = source;
        this.deferIndexes = deferIndexes;
    }

    /**
     * @param mayRedoOwnTables whether this source is the only writer of the tables it created, so that they may
     *                         be dropped when the dump they were loaded from was replaced
     */
    Prepared prepare(Connection c, DumpFeed.Plan plan, Map<TableDump, TableName> routes, boolean mayRedoOwnTables) {
        Map<String, String> done;
        try {
            checkpoints.ensure(c);
            markers.ensure(c);
            done = checkpoints.finished(c, source);
            if (done.values().stream().anyMatch(s -> !s.equals(plan.snapshotId()))) {
                redoOwnTables(c, plan, done, mayRedoOwnTables);
                done = checkpoints.finished(c, source);
            }
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
        }
        try {
            Map<TableName, TargetTable> targets = new SchemaCreator(files, markers, source, deferIndexes)
                    .create(c, plan.schemas(), plan.tables(), routes);
            return new Prepared(done, targets);
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, markers.table(), SqlErrors.describe(e));
        }
    }

    private void redoOwnTables(Connection c, DumpFeed.Plan plan, Map<String, String> done, boolean allowed)
            throws SQLException {
        String other = done.values().stream().filter(s -> !s.equals(plan.snapshotId())).findFirst().orElseThrow();
        List<TableName> own = markers.all(c).values().stream().filter(m -> m.source().equals(source)
                && m.dumpDir().equals(files.dumpId())).map(TableMarkers.Marker::target).toList();
        Set<String> stale = checkpoints.targetsOfOtherSnapshots(c, source, plan.snapshotId());
        boolean allOwn = stale.stream().allMatch(t -> own.stream().anyMatch(o -> o.toString().equals(t)));
        if (!allowed || !allOwn) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_MISMATCH, checkpoints.table(), other, plan.snapshotId());
        }
        log.warn("source {}: the dump was taken again (snapshot {}, the load had started from {}); dropping the {}"
                + " tables its load created and loading them again", source, plan.snapshotId(), other, own.size());
        // Each step can be repeated: a crash in between leaves rows that lead here again. DROP commits by itself:
        // it runs under the DDL lock, so a run that lost the source drops nothing (see docs/ha.md).
        checkpoints.ddl(c, () -> {
            try (Statement st = c.createStatement()) {
                for (TableName t : own) {
                    st.execute("DROP TABLE IF EXISTS " + t.quoted());
                }
            }
        });
        checkpoints.clear(c, source);
        markers.clear(c, source, files.dumpId());
    }
}
