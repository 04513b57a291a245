package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TableRouter;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.fence.Fence;
import io.dmjava.worker.sync.binlog.QueryEvent;
import io.dmjava.worker.sync.ddl.DdlKind;
import io.dmjava.worker.sync.ddl.DdlParser;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import io.dmjava.worker.sync.filter.BinlogFilter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates a DDL: drains every queue (rows before it must land under the old structure), records that the
 * statement may run, advances the schema tracker, runs the routed statement downstream unless a binlog
 * filter ignores it, then saves the checkpoint after it. A crash between running it and that checkpoint
 * replays the statement; errors saying its effect is already there are then accepted. A binlog operator for the
 * event (DM's {@code binlog skip|replace}) skips it or runs its statements in its place, through the same path.
 *
 * <p>DDL commits by itself, so it cannot be inside a fenced transaction: the tracker's shadow statements and the
 * downstream statements each run under {@link Fence#ddl}, holding the subtask's downstream DDL lock, which a newer
 * owner's claim takes over by killing the holder (see docs/ha.md).
 */
final class DdlHandler {
    private static final Logger log = LoggerFactory.getLogger(DdlHandler.class);
    /**
     * Database/table exists, unknown database/table, duplicate column or key, cannot drop a missing column or
     * key: what replaying an already applied DDL runs into.
     */
    private static final Set<Integer> ALREADY_APPLIED = Set.of(1007, 1008, 1050, 1051, 1054, 1060, 1061, 1091, 1146, 1176);

    private final SyncRun run;
    private final TableRouter router;
    private final BinlogFilter filter;
    private final Connection downstream;
    private final BinlogOperatorSource operators;
    private final Fence fence;
    private final ShardGate gate;

    DdlHandler(SyncRun run, TableRouter router, BinlogFilter filter, Connection downstream, BinlogOperatorSource operators,
               Fence fence, ShardGate gate) {
        this.gate = gate;
        this.operators = operators;
        this.fence = fence;
        this.run = run;
        this.router = router;
        this.filter = filter;
        this.downstream = downstream;
    }

    BinlogFilter filter() {
        return filter;
    }

    void handle(QueryEvent e) throws InterruptedException {
        String session = e.schema() == null || e.schema().isEmpty() ? null : e.schema();
        ParsedDdl parsed = DdlParser.parse(session, e.sql());
        if (!parsed.kind().isDdl()) {
            return; // e.g. a SAVEPOINT inside a transaction: not a boundary
        }
        Optional<BinlogOperator> op = operators.at(e.position().file(), e.startPos(), e.position().pos());
        List<ParsedDdl> ours = selectedParts(parsed, e);
        List<ParsedDdl> downstreamParts = op.isEmpty() ? ours : replacement(op.get(), session, e);
        if (ours.isEmpty() && downstreamParts.isEmpty()) {
            if (op.isPresent()) {
                // The operator is consumed only once the checkpoint is past its event: a crash before that must
                // not replay the original statement without it.
                run.drain();
                run.reachedBoundary(e.position());
                run.saveCheckpoint(e.position());
                operators.used(op.get());
            } else {
                run.reachedBoundary(e.position());
            }
            return;
        }
        run.drain();
        boolean replay = run.mayHaveRun(e.position());
        if (!replay) {
            run.extendSafeMode(e.position());
            run.saveCheckpoint(run.boundary());
        }
        List<ParsedDdl> locked = downstreamParts.stream().filter(p -> gate.coordinated(p) && !ignored(p, op) && migrated(p)).toList();
        PessimismOperation shardOp = null;
        if (!locked.isEmpty()) {
            // Before the tracker moves: a stop while waiting leaves tracker and checkpoint both before the event.
            Optional<PessimismOperation> answer = awaitLock(locked, e);
            if (answer.isEmpty()) {
                return;
            }
            shardOp = answer.get();
        }
        // The tracker follows the upstream, whatever runs downstream: later row events have the upstream's columns.
        for (ParsedDdl p : ours) {
            track(p, e, replay);
        }
        for (ParsedDdl p : downstreamParts) {
            if (ignored(p, op)) {
                log.info("binlog {}: DDL ignored by binlog_filter_rule: {}", e.position(), p.sql());
            } else if (gate.keepsMergedTable(p)) {
                log.info("binlog {}: {} of one shard not run on the merged table (shard_mode pessimistic): {}", e.position(),
                        p.kind(), p.sql());
            } else if (shardOp != null && locked.contains(p) && !shardOp.exec()) {
                log.info("binlog {}: shard DDL passed, lock {} ran it downstream: {}", e.position(), shardOp.lockId(), p.sql());
            } else {
                applyDownstream(p, e, replay);
            }
        }
        run.reachedBoundary(e.position());
        run.saveCheckpoint(e.position());
        op.ifPresent(operators::used);
        if (shardOp != null) {
            gate.done(shardOp, run.stop);
        }
    }

    private boolean ignored(ParsedDdl p, Optional<BinlogOperator> op) {
        return op.isEmpty() && filter.ignoresDdl(p);
    }

    /** Whether every table the statement changes is migrated (else it does not run downstream at all). */
    private boolean migrated(ParsedDdl p) {
        return !p.kind().isDatabaseDdl() && affected(p).stream().allMatch(t -> router.route(t.schema(), t.table()).isPresent());
    }

    private Optional<PessimismOperation> awaitLock(List<ParsedDdl> locked, QueryEvent e) throws InterruptedException {
        Set<TableName> targets = new LinkedHashSet<>();
        List<String> routed = new ArrayList<>();
        for (ParsedDdl p : locked) {
            Routed r = route(p, e);
            if (r == null) {
                continue;
            }
            targets.addAll(r.targets());
            routed.add(r.sql());
        }
        if (targets.size() > 1) {
            throw new DmException(ErrorCode.SHARD_DDL_UNSUPPORTED, binlogPos(e), "one statement changes tables merged into"
                    + " several downstream tables " + targets + ": " + e.sql());
        }
        return gate.await(locked, routed, targets.iterator().next(), binlogPos(e), run.stop);
    }

    /** The single-table parts of a statement that concern migrated tables. */
    private List<ParsedDdl> selectedParts(ParsedDdl statement, QueryEvent e) {
        List<ParsedDdl> parts = statement.kind().isReplicated() ? statement.split() : List.of();
        List<ParsedDdl> selected = parts.stream().filter(this::selected).toList();
        if (selected.isEmpty() && statement.kind() == DdlKind.CREATE_TABLE_SELECT && selected(statement)) {
            log.warn("binlog {}: CREATE TABLE ... SELECT is not replicated as DDL (its rows arrive as row events"
                    + " only when the table exists downstream): {}", e.position(), statement.sql());
        }
        return selected;
    }

    /** What a binlog operator runs downstream in place of the event's statement: nothing, or its statements. */
    private List<ParsedDdl> replacement(BinlogOperator op, String session, QueryEvent e) {
        if (op.isSkip()) {
            log.info("binlog_pos {}: DDL not run downstream (skipped by binlog operator): {}", binlogPos(e), e.sql());
            return List.of();
        }
        List<ParsedDdl> out = new ArrayList<>();
        for (String sql : op.sqls()) {
            ParsedDdl p;
            try {
                p = DdlParser.parse(session, sql);
            } catch (DmException ex) {
                throw new DmException(ErrorCode.SYNC_BINLOG_OPERATOR_INVALID, ex, binlogPos(e), ex.getMessage());
            }
            if (!p.kind().isReplicated()) {
                throw new DmException(ErrorCode.SYNC_BINLOG_OPERATOR_INVALID, binlogPos(e), "'" + sql
                        + "' is not a table or database DDL statement");
            }
            out.addAll(p.split());
        }
        log.info("binlog_pos {}: DDL replaced downstream by binlog operator with {}: {}", binlogPos(e), op.sqls(), e.sql());
        return out;
    }

    /** The event's position as users give it to binlog operators ({@code file:offset} of the event's start). */
    private static String binlogPos(QueryEvent e) {
        return e.position().file() + ":" + e.startPos();
    }

    private boolean selected(ParsedDdl p) {
        if (p.kind().isDatabaseDdl()) {
            return p.schemaName() != null && router.schemaMayMatch(p.schemaName());
        }
        return affected(p).stream().anyMatch(t -> router.route(t.schema(), t.table()).isPresent());
    }

    /** Every upstream table whose structure the statement may change or create. */
    private static List<TableName> affected(ParsedDdl p) {
        Set<TableName> out = new LinkedHashSet<>(p.tables());
        p.renames().forEach(r -> out.add(r.to()));
        return new ArrayList<>(out);
    }

    private void track(ParsedDdl p, QueryEvent e, boolean replay) {
        if (p.kind() == DdlKind.TRUNCATE_TABLE) {
            return; // the structure stays
        }
        try {
            fence.ddl(run.tracker.connection(), () -> trackUnderLock(p, e));
        } catch (SQLException ex) {
            if (replay && ALREADY_APPLIED.contains(ex.getErrorCode())) {
                return;
            }
            throw new DmException(ErrorCode.SYNC_TRACKER_FAILED, ex, e.position(), SqlErrors.describe(ex), p.sql());
        }
    }

    private void trackUnderLock(ParsedDdl p, QueryEvent e) throws SQLException {
        switch (p.kind()) {
            case CREATE_DATABASE, ALTER_DATABASE -> {
                // its default character set decides the columns of later CREATE TABLEs that name none
                try {
                    run.tracker.execute(null, p.rewriteSchema(run.tracker::shadowDb));
                } catch (SQLException ex) {
                    if (ex.getErrorCode() != 1007) { // a shadow copy restored from the checkpoint exists
                        throw ex;
                    }
                }
            }
            case DROP_DATABASE -> {
                run.tracker.forgetSchema(p.schemaName());
                run.tracker.execute(null, "DROP DATABASE IF EXISTS " + SqlText.quote(run.tracker.shadowDb(p.schemaName())));
            }
            default -> {
                for (TableName t : affected(p)) {
                    run.tracker.ensureSchema(t.schema());
                }
                boolean creates = p.kind() == DdlKind.CREATE_TABLE || p.kind() == DdlKind.CREATE_TABLE_LIKE;
                if (creates && !p.ifNotExists() && p.table() != null) {
                    // The binlog says the table is new here: a copy seeded from a later state is stale.
                    run.tracker.execute(null, "DROP TABLE IF EXISTS " + run.tracker.shadow(p.table()).quoted());
                }
                run.tracker.execute(e.schema(), p.rewriteSchema(run.tracker::shadowDb));
                for (TableName t : affected(p)) {
                    run.tracker.refresh(t);
                }
            }
        }
    }

    /** A statement as it runs downstream: routed, with what must exist first, and the downstream tables it changes. */
    private record Routed(String sql, List<String> before, Set<TableName> targets) {
    }

    /** The statement routed downstream, or null (logged) when it has no downstream to run on. */
    private Routed route(ParsedDdl p, QueryEvent e) {
        if (p.kind().isDatabaseDdl()) {
            Optional<String> target = router.route(p.schemaName(), "").map(TableName::schema);
            if (target.isEmpty() || (p.kind() == DdlKind.DROP_DATABASE && !target.get().equals(p.schemaName()))) {
                log.info("binlog {}: {} not replicated: database {} has no downstream database of its own", e.position(),
                        p.kind(), p.schemaName());
                return null;
            }
            return new Routed(p.rewriteSchema(s -> target.get()), List.of(), Set.of());
        }
        List<TableName> unrouted = affected(p).stream().filter(t -> router.route(t.schema(), t.table()).isEmpty()).toList();
        if (!unrouted.isEmpty()) {
            log.warn("binlog {}: DDL touches tables that are not migrated ({}); not replicated: {}", e.position(), unrouted,
                    p.sql());
            return null;
        }
        Set<String> before = new LinkedHashSet<>();
        Set<TableName> targets = new LinkedHashSet<>();
        for (TableName t : affected(p)) {
            router.route(t.schema(), t.table()).ifPresent(r -> {
                before.add("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(r.schema()));
                targets.add(r);
            });
        }
        return new Routed(p.rewrite(t -> router.route(t.schema(), t.table()).orElse(t)), List.copyOf(before), targets);
    }

    private void applyDownstream(ParsedDdl p, QueryEvent e, boolean replay) {
        Routed r = route(p, e);
        if (r == null) {
            return;
        }
        try {
            fence.ddl(downstream, () -> {
                try (Statement st = downstream.createStatement()) {
                    for (String b : r.before()) {
                        st.execute(b);
                    }
                    st.execute(r.sql());
                }
            });
            log.info("binlog {}: DDL applied: {}", e.position(), r.sql());
        } catch (SQLException ex) {
            boolean benign = ex.getErrorCode() == 1007 && p.kind() == DdlKind.CREATE_DATABASE
                    || ex.getErrorCode() == 1050 && gate.mergedTableMayExist(p);
            if (benign || (replay && ALREADY_APPLIED.contains(ex.getErrorCode()))) {
                log.info("binlog {}: DDL already applied ({}): {}", e.position(), SqlErrors.describe(ex), r.sql());
                return;
            }
            throw new DmException(ErrorCode.SYNC_DDL_FAILED, ex, binlogPos(e), SqlErrors.describe(ex), r.sql());
        }
    }
}
