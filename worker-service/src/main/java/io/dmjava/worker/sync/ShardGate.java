package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.shardddl.PessimismInfo;
import io.dmjava.model.shardddl.PessimismOperation;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.sync.ddl.DdlKind;
import io.dmjava.worker.sync.ddl.ParsedDdl;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What pessimistic shard mode changes in how a DDL is replicated (docs/shard-ddl.md). Several upstream tables,
 * one per source, are merged into one downstream table, so a structure change must run downstream once, when every
 * source has reached it: the source's stream waits at the DDL until the leader answers; the lock's owner runs the
 * statement, every other source passes it. One shard's DROP TABLE or TRUNCATE TABLE must not touch the merged table
 * (it holds the other shards' rows too); a shard's CREATE TABLE finds the merged table there already.
 */
final class ShardGate {
    private final boolean pessimistic;
    private final String task;
    private final String source;
    private final ShardDdlCoordinator coordinator;
    /** The upstream tables of this source that route to a downstream table (read from the upstream when asked). */
    private final Function<TableName, List<TableName>> shardsOf;
    private final SyncProgress progress;

    ShardGate(String shardMode, String task, String source, ShardDdlCoordinator coordinator,
              Function<TableName, List<TableName>> shardsOf, SyncProgress progress) {
        this.progress = progress;
        this.pessimistic = "pessimistic".equals(shardMode);
        this.task = task;
        this.source = source;
        this.coordinator = coordinator;
        this.shardsOf = shardsOf;
    }

    /** Whether the statement waits for the lock: a structure change of a table (every table of the task is a shard). */
    boolean coordinated(ParsedDdl p) {
        if (!pessimistic) {
            return false;
        }
        if (p.kind() == DdlKind.RENAME_TABLE || !p.renames().isEmpty()) {
            return true; // refused in await(): one shard cannot rename the merged table
        }
        return p.kind() == DdlKind.ALTER_TABLE || p.kind() == DdlKind.CREATE_INDEX || p.kind() == DdlKind.DROP_INDEX;
    }

    /** Whether the statement must not run downstream at all: one shard's DROP / TRUNCATE of the merged table. */
    boolean keepsMergedTable(ParsedDdl p) {
        return pessimistic && (p.kind() == DdlKind.DROP_TABLE || p.kind() == DdlKind.TRUNCATE_TABLE);
    }

    /** Whether "the table exists" downstream is expected: another shard created the merged table. */
    boolean mergedTableMayExist(ParsedDdl p) {
        return pessimistic && (p.kind() == DdlKind.CREATE_TABLE || p.kind() == DdlKind.CREATE_TABLE_LIKE);
    }

    /**
     * Publishes that this source waits at the DDL (its routed statements, all for one target) and waits for the
     * leader. Empty when the subtask stops first.
     */
    Optional<PessimismOperation> await(List<ParsedDdl> parts, List<String> routed, TableName target, String binlogPos,
                                       BooleanSupplier stop) throws InterruptedException {
        for (ParsedDdl p : parts) {
            if (p.kind() == DdlKind.RENAME_TABLE || !p.renames().isEmpty()) {
                throw new DmException(ErrorCode.SHARD_DDL_UNSUPPORTED, binlogPos, "renaming a table merged into " + target
                        + " would rename the merged table of every shard: " + p.sql());
            }
        }
        List<TableName> shards = shardsOf.apply(target);
        if (shards.size() > 1) {
            throw new DmException(ErrorCode.SHARD_DDL_MULTIPLE_TABLES, binlogPos, source, shards.size(), target, shards);
        }
        PessimismInfo info = new PessimismInfo(task, source, target, routed, binlogPos);
        progress.shardWait = info;
        try {
            Optional<PessimismOperation> op = coordinator.await(info, stop);
            if (op.isPresent() && op.get().conflict() != null) {
                throw new DmException(ErrorCode.SHARD_DDL_CONFLICT, info.lockId(), source, binlogPos, op.get().conflict());
            }
            return op;
        } finally {
            progress.shardWait = null;
        }
    }

    /** The checkpoint is past the DDL {@code op} answered. */
    void done(PessimismOperation op, BooleanSupplier stop) throws InterruptedException {
        coordinator.done(op, stop);
    }

}
