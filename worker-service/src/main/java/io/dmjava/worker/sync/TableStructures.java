package io.dmjava.worker.sync;

import io.dmjava.api.model.TableStructure;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.load.TargetSession;
import io.dmjava.worker.sync.checkpoint.SyncCheckpoint;
import io.dmjava.worker.sync.checkpoint.SyncCheckpointStore;
import io.dmjava.worker.sync.ddl.DdlKind;
import io.dmjava.worker.sync.ddl.DdlParser;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import io.dmjava.worker.sync.schema.SchemaTracker;
import io.dmjava.worker.unit.UnitContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DM's {@code operate-schema} for one subtask: the table structures its sync unit decodes row events with, as
 * saved in the sync checkpoint (the schema tracker rebuilds itself from there at every start). Setting one
 * rewrites its checkpoint row, so the subtask must not run; the next start uses it. The way out of errors
 * 51102/51103 (a table whose structure is unknown or wrong at the checkpoint).
 */
public final class TableStructures {
    private static final Logger log = LoggerFactory.getLogger(TableStructures.class);

    private final UnitContext ctx;

    public TableStructures(UnitContext ctx) {
        this.ctx = ctx;
    }

    /** Upstream databases with at least one tracked table. */
    public List<String> schemas() {
        Set<String> out = new TreeSet<>();
        tracked().keySet().forEach(t -> out.add(t.schema()));
        return List.copyOf(out);
    }

    /** Tracked tables of one upstream database. */
    public List<String> tables(String schema) {
        Set<String> out = new TreeSet<>();
        tracked().keySet().stream().filter(t -> t.schema().equals(schema)).forEach(t -> out.add(t.table()));
        return List.copyOf(out);
    }

    public TableStructure get(String schema, String table) {
        TableName t = new TableName(schema, table);
        String create = tracked().get(t);
        if (create == null) {
            throw new DmException(ErrorCode.TABLE_STRUCTURE_NOT_FOUND, ctx.taskName(), ctx.sourceName(), t,
                    "the sync checkpoint has no structure for it");
        }
        return new TableStructure(schema, table, create);
    }

    /**
     * Validates {@code createTable} by creating it in a scratch shadow database of this subtask, then saves the
     * structure MariaDB/MySQL reports for it in the checkpoint, at the checkpoint's position.
     */
    public TableStructure put(String schema, String table, String createTable) {
        TableName t = new TableName(schema, table);
        ParsedDdl parsed;
        try {
            parsed = DdlParser.parse(schema, createTable == null ? "" : createTable);
        } catch (DmException e) {
            throw new DmException(ErrorCode.TABLE_STRUCTURE_INVALID, t, e.getMessage());
        }
        if (parsed.kind() != DdlKind.CREATE_TABLE) {
            throw new DmException(ErrorCode.TABLE_STRUCTURE_INVALID, t, "it is not a CREATE TABLE statement");
        }
        SyncCheckpointStore store = store();
        try (Connection meta = connect(); Connection scratch = connect()) {
            SyncCheckpoint cp = checkpoint(store, meta);
            SchemaTracker tracker = new SchemaTracker(scratch, ctx.taskName() + "/" + ctx.sourceName() + "/set-structure");
            String normalised;
            try {
                tracker.restore(Map.of());
                tracker.create(t, createTable);
                normalised = tracker.drainChanges().created().get(t);
            } catch (SQLException e) {
                throw new DmException(ErrorCode.TABLE_STRUCTURE_INVALID, t, SqlErrors.describe(e));
            } finally {
                tracker.restore(Map.of()); // drops the scratch databases
            }
            meta.setAutoCommit(false);
            store.save(meta, cp.position(), cp.safeUntil(), cp.start(), Map.of(t, normalised), Set.of(), false);
            log.info("subtask {}/{}: structure of {} set by the user: {}", ctx.taskName(), ctx.sourceName(), t, normalised);
            return new TableStructure(schema, table, normalised);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, e, store.toString(), SqlErrors.describe(e));
        }
    }

    private Map<TableName, String> tracked() {
        SyncCheckpointStore store = store();
        try (Connection c = connect()) {
            return checkpoint(store, c).tables();
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, e, store.toString(), SqlErrors.describe(e));
        }
    }

    private SyncCheckpoint checkpoint(SyncCheckpointStore store, Connection c) throws SQLException {
        if (!store.exists(c)) {
            throw new DmException(ErrorCode.TABLE_STRUCTURE_NOT_FOUND, ctx.taskName(), ctx.sourceName(), "any table",
                    "its sync unit has not saved a checkpoint yet (it tracks structures from its first start on)");
        }
        return store.load(c).orElseThrow();
    }

    private SyncCheckpointStore store() {
        return new SyncCheckpointStore(ctx.metaSchema(), ctx.taskName(), ctx.sourceName());
    }

    private Connection connect() throws SQLException {
        return new JdbcConnector(ctx.target(), TargetSession.statements()).open();
    }
}
