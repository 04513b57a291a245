package io.dmjava.worker.sync;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskStartArgs;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.PositionReader;
import io.dmjava.worker.dump.TableCatalog;
import io.dmjava.worker.dump.TableInfo;
import io.dmjava.worker.load.CheckpointStore;
import io.dmjava.worker.load.TargetSession;
import io.dmjava.worker.sync.binlog.BinlogTimeSearch;
import io.dmjava.worker.sync.checkpoint.AppliedMark;
import io.dmjava.worker.sync.checkpoint.SyncCheckpoint;
import io.dmjava.worker.unit.UnitContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Where a sync unit that has no checkpoint yet starts, and the table structures it starts with.
 * After a dump (task mode {@code all}): the dump's position and the dump's own CREATE TABLE files, which
 * describe the tables exactly as of that position; when the chunks were read at different positions
 * (consistency none, or a plan another worker continued after the first one died), from the smallest in safe
 * mode until past the largest, the positions taken from the loader checkpoint in the downstream (each chunk's
 * row records where it was read) as well as from the dump's metadata. Incremental: the task's
 * {@code source_conf} position, else the upstream's current end; structures read from the tables downstream.
 * Started with {@code start_time}: the first transaction at or after that time.
 *
 * @param position  where to start reading
 * @param safeUntil stay in safe mode until passing this position (null: no need)
 * @param tables    upstream table -> CREATE TABLE to seed the schema tracker with
 */
record SyncStart(BinlogPosition position, BinlogPosition safeUntil, Map<TableName, String> tables) {

    static SyncStart afterDump(UnitContext ctx) {
        DumpFiles files = DumpFiles.of(ctx.dataDir());
        DumpMetadata meta = files.readMetadata().filter(DumpMetadata::finished).orElseThrow(() ->
                new DmException(ErrorCode.SYNC_NO_START_POSITION, ctx.sourceName(),
                        "the dump's metadata (with the snapshot's binlog position) is missing from " + files.root()));
        Map<TableName, String> tables = new LinkedHashMap<>();
        for (DumpMetadata.TableDump t : meta.tables()) {
            try {
                tables.put(new TableName(t.schema(), t.table()),
                        Files.readString(files.resolve(t.schemaFile()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new DmException(ErrorCode.SYNC_NO_START_POSITION, e, ctx.sourceName(),
                        "the dumped structure of " + t.schema() + "." + t.table() + " cannot be read: " + e.getMessage());
            }
        }
        List<BinlogPosition> loadedAt = loadedPositions(ctx, meta.snapshotId());
        if (meta.positionExact() && loadedAt.stream().allMatch(p -> p.compareTo(meta.position()) == 0)) {
            return new SyncStart(meta.position(), null, tables);
        }
        // The loader checkpoint says at which position each loaded chunk was read: chunks of a plan continued on
        // another worker, or loaded by a worker that died just as this one planned, count as they were loaded.
        BinlogPosition min = loadedAt.stream().min(Comparator.naturalOrder()).orElse(meta.minChunkPosition());
        BinlogPosition max = loadedAt.stream().max(Comparator.naturalOrder()).orElse(meta.maxChunkPosition());
        return new SyncStart(min.compareTo(meta.minChunkPosition()) < 0 ? min : meta.minChunkPosition(),
                max.compareTo(meta.maxChunkPosition()) > 0 ? max : meta.maxChunkPosition(), tables);
    }

    /** The known positions recorded in the loader checkpoint for the chunks of dump plan {@code snapshotId}. */
    private static List<BinlogPosition> loadedPositions(UnitContext ctx, String snapshotId) {
        CheckpointStore checkpoints = new CheckpointStore(ctx.metaSchema(), ctx.taskName());
        try (Connection c = new JdbcConnector(ctx.target(), TargetSession.statements()).open()) {
            checkpoints.ensure(c);
            return checkpoints.loaded(c, ctx.sourceName(), snapshotId).values().stream()
                    .map(DumpMetadata.ChunkDump::position).filter(BinlogPosition::isKnown).toList();
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
        }
    }

    static SyncStart incremental(UnitContext ctx, Supplier<Connection> upstream, Supplier<Connection> downstream) {
        TaskConfig.SourceConf conf = ctx.task().sourceConfig() == null || ctx.task().sourceConfig().sourceConf() == null ? null
                : ctx.task().sourceConfig().sourceConf().stream().filter(s -> ctx.sourceName().equals(s.sourceName()))
                .findFirst().orElse(null);
        try (Connection c = upstream.get()) {
            BinlogPosition position;
            if (conf != null && conf.binlogName() != null && !conf.binlogName().isBlank()) {
                position = new BinlogPosition(conf.binlogName(), conf.binlogPos() == null ? 4 : conf.binlogPos(),
                        conf.binlogGtid() == null ? "" : conf.binlogGtid());
            } else if (conf != null && conf.binlogGtid() != null && !conf.binlogGtid().isBlank()) {
                position = new BinlogPosition("", 0, conf.binlogGtid());
            } else {
                position = new PositionReader(DbFlavor.detect(c)).current(c);
                if (!position.isKnown()) {
                    throw new DmException(ErrorCode.SYNC_NO_START_POSITION, ctx.sourceName(),
                            "the upstream reports no binlog position (is log_bin on?)");
                }
            }
            return new SyncStart(position, null, downstreamTables(ctx, c, downstream));
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, e, ctx.sourceName(), SqlErrors.describe(e));
        }
    }

    /**
     * {@code start_time}: the first transaction at or after the time ({@link BinlogTimeSearch}), structures read
     * from the tables downstream as for any incremental start. It wins over the checkpoint {@code earlier} of a
     * previous run (DM's semantics): everything up to the furthest point that run may have written (its checkpoint,
     * its safe-mode end, its queues' applied marks) is replayed in safe mode when the time is before it.
     */
    static SyncStart atTime(UnitContext ctx, TaskStartArgs args, Supplier<Connection> upstream, Supplier<Connection> downstream,
                            Optional<SyncCheckpoint> earlier, Collection<AppliedMark> marks) {
        long serverId = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 31);
        BinlogPosition at = new BinlogTimeSearch(ctx.source(), ctx.sourceName(), serverId)
                .find(args.startEpochSecond(), args.startTime()).position();
        BinlogPosition written = null;
        List<BinlogPosition> candidates = new ArrayList<>();
        earlier.ifPresent(cp -> {
            candidates.add(cp.position());
            candidates.add(cp.safeUntil());
        });
        marks.forEach(m -> candidates.add(m.seq().position()));
        for (BinlogPosition p : candidates) {
            if (p != null && (written == null || p.compareTo(written) > 0)) {
                written = p;
            }
        }
        try (Connection c = upstream.get()) {
            return new SyncStart(at, written != null && written.compareTo(at) > 0 ? written : null,
                    downstreamTables(ctx, c, downstream));
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SYNC_UPSTREAM_FAILED, e, ctx.sourceName(), SqlErrors.describe(e));
        }
    }

    /**
     * As DM does: the downstream copies were restored from a backup at the start position, so their structure is
     * the upstream's as of that position; the upstream's own may already be later.
     */
    private static Map<TableName, String> downstreamTables(UnitContext ctx, Connection upstream, Supplier<Connection> downstream)
            throws SQLException {
        Map<TableName, String> tables = new LinkedHashMap<>();
        try (Connection d = downstream.get()) {
            for (TableInfo t : TableCatalog.read(upstream, ctx.router())) {
                TableName target = ctx.router().route(t.name().schema(), t.name().table()).orElseThrow();
                String create = showCreate(d, target);
                if (create != null) {
                    tables.put(t.name(), create);
                }
            }
        }
        return tables;
    }

    /** The table's CREATE TABLE, or null when it does not exist. */
    private static String showCreate(Connection c, TableName t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + t.quoted())) {
            return rs.next() ? rs.getString(2) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return null;
            }
            throw e;
        }
    }
}
