package io.dmjava.worker.dump;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.error.DmException;
import io.dmjava.worker.db.DbFlavor;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.metrics.ProgressReporting;
import io.dmjava.worker.metrics.UnitProgress;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dump} unit: a consistent snapshot of the selected upstream tables written as chunk files, their
 * CREATE statements and {@link DumpMetadata} (binlog position per chunk) under {@code <data dir>/dump/}.
 *
 * <p>Resuming: a dump whose metadata says finished is not redone ({@link #run} returns at once). An
 * unfinished one cannot continue its snapshot, which died with its connections. With a {@link PlanJournal} (the
 * downstream) holding this run's plan and chunks already loaded from it, on this worker or another, the plan is
 * continued in task mode {@code all} (and with consistency {@code none}): only the chunks not loaded are read,
 * from a new snapshot, each recording its position ({@link PlanResume}). Otherwise the dump starts over from a
 * new snapshot with a new plan, and its old files are deleted.
 */
public final class DumpUnit implements Unit, ProgressReporting {
    private static final Logger log = LoggerFactory.getLogger(DumpUnit.class);

    private final UnaryOperator<DumpOptions> tuning;
    private final SqlRetry retry;
    private final DumpProgress progress = new DumpProgress();
    private final DumpFeed feed;
    private final PlanJournal journal;

    /** A dump with the task's settings and default tuning. */
    public DumpUnit() {
        this(UnaryOperator.identity(), SqlRetry.DEFAULT);
    }

    /** A dump whose options (taken from the task) are adjusted by {@code tuning}, e.g. a fixed chunk size. */
    public DumpUnit(UnaryOperator<DumpOptions> tuning, SqlRetry retry) {
        this(tuning, retry, new DumpFeed());
    }

    /** A dump that also publishes what it writes to {@code feed}, for a load running alongside. */
    public DumpUnit(UnaryOperator<DumpOptions> tuning, SqlRetry retry, DumpFeed feed) {
        this(tuning, retry, feed, null);
    }

    /**
     * A dump that also saves its chunk plan in {@code journal} (null: nowhere) and, when the journal holds a plan
     * of this run with chunks already loaded, continues it ({@link PlanResume}): on another worker too.
     */
    public DumpUnit(UnaryOperator<DumpOptions> tuning, SqlRetry retry, DumpFeed feed, PlanJournal journal) {
        this.tuning = tuning;
        this.retry = retry;
        this.feed = feed;
        this.journal = journal;
    }

    @Override
    public String type() {
        return "dump";
    }

    @Override
    public DumpStatus status() {
        return progress.snapshot();
    }

    @Override
    public UnitProgress progress() {
        return progress.counts();
    }

    @Override
    public void run(UnitContext ctx) throws InterruptedException {
        boolean failed = true;
        try {
            runDump(ctx);
            failed = false;
        } finally {
            feed.end(failed); // a load following the feed must never wait for a dump that is gone
        }
    }

    private void runDump(UnitContext ctx) throws InterruptedException {
        DumpOptions options = tuning.apply(DumpOptions.from(ctx.task()));
        DumpFiles files = DumpFiles.of(ctx.dataDir());
        Optional<DumpMetadata> previous = files.readMetadata();
        if (previous.isPresent() && previous.get().finished() && allChunkFilesPresent(files, previous.get())) {
            DumpMetadata m = previous.get();
            progress.restoreFinished(m.tables().size(), m.tables().stream().mapToLong(t -> t.chunks().size()).sum(),
                    m.totalRows(), m.totalBytes());
            feed.publishAll(m);
            log.info("subtask {}/{}: dump already finished (snapshot {}, {}), not redone", ctx.taskName(),
                    ctx.sourceName(), m.snapshotId(), m.position());
            return;
        }
        try {
            files.reset();
        } catch (IOException e) {
            throw new UnitException(ErrorCode.DUMP_WRITE_FAILED, e, files.root(), e.getMessage());
        }
        try {
            dump(ctx, options, files);
        } catch (InterruptedException | DmException e) {
            throw e;
        } catch (IOException e) {
            throw new UnitException(ErrorCode.DUMP_WRITE_FAILED, e, files.root(), e.getMessage());
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.DUMP_SOURCE_QUERY_FAILED, e, ctx.sourceName(), SqlErrors.describe(e));
        } catch (Exception e) {
            throw new UnitException(ErrorCode.INTERNAL, e, "dump of source " + ctx.sourceName() + ": " + e);
        }
    }

    private void dump(UnitContext ctx, DumpOptions options, DumpFiles files) throws Exception {
        String startedAt = Instant.now().toString();
        JdbcConnector metaConnector = new JdbcConnector(ctx.source(), SourceSession.statements(null, false));
        try (Connection meta = metaConnector.open()) {
            DbFlavor flavor = DbFlavor.detect(meta);
            String version = SourceSession.version(meta);
            SourceSession.applyFlavorSettings(meta, flavor);
            List<TableInfo> catalog = TableCatalog.read(meta, ctx.router());
            Optional<PlanResume> resume = journal == null ? Optional.empty()
                    : PlanResume.find(journal, ctx, files.dumpId(), catalog, options.consistency());
            List<TableInfo> tables = resume.map(PlanResume::tables).orElse(catalog);
            // Chosen before any chunk is written: a load running alongside records it with every chunk it imports.
            String snapshotId = resume.map(r -> r.plan().planId()).orElseGet(() -> UUID.randomUUID().toString());
            Map<String, DumpMetadata.ChunkDump> loaded = resume.map(PlanResume::loaded).orElse(Map.of());
            progress.start(tables.size(), tables.stream().mapToLong(TableInfo::estimatedRows).sum());
            log.info("subtask {}/{}: dumping {} tables from {} {} with {} threads, consistency {}", ctx.taskName(),
                    ctx.sourceName(), tables.size(), flavor, version, options.exportThreads(), options.consistency().text());
            JdbcConnector sessionConnector = new JdbcConnector(ctx.source(), SourceSession.statements(flavor, true));
            SnapshotCoordinator coordinator = new SnapshotCoordinator(sessionConnector, flavor, ctx.sourceName());
            SnapshotCoordinator.Snapshot snapshot = coordinator.open(options.consistency(), options.exportThreads(),
                    tables.stream().map(TableInfo::name).toList());
            try (ExportPool pool = new ExportPool(snapshot.sessions(), coordinator::openIndependent, retry, ctx.stopRequested())) {
                List<String> schemaFiles = new ArrayList<>();
                List<DumpMetadata.SchemaDump> schemaDumps;
                List<List<ChunkSpec>> plans;
                if (resume.isPresent()) {
                    schemaDumps = resume.get().writeSchemaFiles(files, schemaFiles);
                    plans = resume.get().plans();
                    log.info("subtask {}/{}: continuing plan {}: {} of {} chunks are loaded, the others are read again at {}",
                            ctx.taskName(), ctx.sourceName(), snapshotId, loaded.size(),
                            plans.stream().mapToLong(List::size).sum(), snapshot.position());
                } else {
                    SchemaDumper schemas = new SchemaDumper(files);
                    schemaDumps = schemas.dumpSchemas(meta, tables);
                    for (int i = 0; i < tables.size(); i++) {
                        schemaFiles.add(schemas.dumpTable(meta, tables.get(i), i));
                    }
                    plans = plan(pool, tables, options, ctx);
                }
                if (ctx.stopRequested().getAsBoolean() || plans.contains(null)) {
                    log.info("subtask {}/{}: dump stopped; it starts over on the next run", ctx.taskName(), ctx.sourceName());
                    return;
                }
                if (resume.isEmpty() && journal != null) {
                    journal.save(ctx, PlanResume.toJournal(snapshotId, files, tables, plans, schemaDumps, schemaFiles));
                }
                progress.chunksPlanned(plans.stream().mapToLong(List::size).sum() - loaded.size());
                feed.publishPlan(new DumpFeed.Plan(snapshotId, snapshot.position(), schemaDumps,
                        java.util.stream.IntStream.range(0, tables.size())
                                .mapToObj(i -> tableDump(i, tables.get(i), schemaFiles, List.of())).toList(),
                        plans.stream().map(p -> p.stream().map(ChunkSpec::id).toList()).toList()));
                List<DumpMetadata.TableDump> tableDumps = dumpChunks(pool, tables, plans, loaded, schemaFiles, options, files, ctx);
                if (tableDumps == null) {
                    log.info("subtask {}/{}: dump stopped; it starts over on the next run", ctx.taskName(), ctx.sourceName());
                    return;
                }
                // A continued plan mixes chunks read at different positions; replication must start at the smallest.
                boolean exact = resume.isEmpty() && snapshot.exact() && pool.reopenedSessions() == 0;
                DumpMetadata metadata = new DumpMetadata(DumpMetadata.VERSION, snapshotId,
                        ctx.sourceName(), flavor.name().toLowerCase(java.util.Locale.ROOT), version,
                        snapshot.used().text(), snapshot.position(), exact, startedAt, Instant.now().toString(), true,
                        schemaDumps, tableDumps);
                if (resume.isPresent()) {
                    metadata = metadata.withPosition(metadata.minChunkPosition());
                }
                files.writeMetadata(metadata);
                feed.publishFinished(metadata);
                progress.finish();
                DumpStatus s = progress.snapshot();
                log.info("subtask {}/{}: dump finished: {} tables, {} rows, {} bytes at {} B/s; position {} (exact: {})",
                        ctx.taskName(), ctx.sourceName(), tables.size(), (long) s.finishedRows(), (long) s.finishedBytes(),
                        s.bps(), metadata.position(), exact);
            }
        }
    }

    private List<List<ChunkSpec>> plan(ExportPool pool, List<TableInfo> tables, DumpOptions options, UnitContext ctx)
            throws Exception {
        List<ExportPool.Job<List<ChunkSpec>>> jobs = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableInfo table = tables.get(i);
            int index = i;
            jobs.add(session -> ChunkPlanner.plan(session.connection(), table, index,
                    options.rowsPerChunk(table.avgRowLength(), table.estimatedRows()), ctx.stopRequested()));
        }
        return pool.runAll(jobs, i -> tables.get(i).name() + " (planning chunks)");
    }

    /** Dumps every chunk; returns null when stopped before the end. */
    private List<DumpMetadata.TableDump> dumpChunks(ExportPool pool, List<TableInfo> tables, List<List<ChunkSpec>> plans,
                                                    Map<String, DumpMetadata.ChunkDump> loaded, List<String> schemaFiles,
                                                    DumpOptions options, DumpFiles files, UnitContext ctx) throws Exception {
        ChunkWriter writer = new ChunkWriter(options.fetchSize(), progress, ctx.stopRequested());
        int[] remaining = plans.stream().mapToInt(p -> (int) p.stream().filter(c -> !loaded.containsKey(c.id())).count()).toArray();
        List<List<DumpMetadata.ChunkDump>> perTable = new ArrayList<>();
        tables.forEach(t -> perTable.add(new ArrayList<>()));
        for (List<ChunkSpec> plan : plans) {
            for (ChunkSpec c : plan) {
                DumpMetadata.ChunkDump done = loaded.get(c.id());
                if (done != null) { // loaded from an earlier run's file: never read again
                    perTable.get(c.tableIndex()).add(done);
                    feed.publishChunk(c.tableIndex(), done);
                }
            }
        }
        java.util.Arrays.stream(remaining).filter(n -> n == 0).forEach(n -> progress.tableCompleted());
        List<ChunkSpec> all = exportOrder(plans.stream().map(p -> p.stream().filter(c -> !loaded.containsKey(c.id())).toList())
                .toList(), options.exportThreads());
        List<ExportPool.Job<DumpMetadata.ChunkDump>> jobs = new ArrayList<>();
        for (ChunkSpec chunk : all) {
            jobs.add(session -> {
                String file = "data/" + chunk.fileName();
                ChunkWriter.Result r;
                try {
                    r = writer.write(session.connection(), chunk, files.resolve(file));
                } catch (ChunkWriter.Stopped stopped) {
                    return null;
                }
                progress.chunkCompleted();
                synchronized (remaining) {
                    if (--remaining[chunk.tableIndex()] == 0) {
                        progress.tableCompleted();
                    }
                }
                DumpMetadata.ChunkDump done = new DumpMetadata.ChunkDump(chunk.id(), file, r.rows(), r.bytes(), session.position());
                feed.publishChunk(chunk.tableIndex(), done);
                return done;
            });
        }
        List<DumpMetadata.ChunkDump> results = pool.runAll(jobs, i -> all.get(i).table().name() + " chunk " + all.get(i).id());
        if (results.contains(null)) {
            return null;
        }
        for (int i = 0; i < all.size(); i++) {
            perTable.get(all.get(i).tableIndex()).add(results.get(i));
        }
        DumpFiles.syncDirectory(files.dataDir());
        List<DumpMetadata.TableDump> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            List<DumpMetadata.ChunkDump> chunks = new ArrayList<>(perTable.get(i));
            chunks.sort(java.util.Comparator.comparing(DumpMetadata.ChunkDump::id));
            out.add(tableDump(i, tables.get(i), schemaFiles, chunks));
        }
        return out;
    }

    private static DumpMetadata.TableDump tableDump(int i, TableInfo t, List<String> schemaFiles,
                                                    List<DumpMetadata.ChunkDump> chunks) {
        return new DumpMetadata.TableDump(i, t.name().schema(), t.name().table(), schemaFiles.get(i),
                t.dumpColumns().stream().map(c -> new DumpMetadata.DumpedColumn(c.name(), c.dataType())).toList(),
                t.estimatedRows(), chunks);
    }

    /**
     * The order chunks are handed to the export threads: tables in groups of {@code threads}, round-robin
     * within a group, so parallel threads read different tables, and each table is complete early rather
     * than all at the very end (a load following the dump can then finish tables, and build their indexes,
     * while the dump goes on).
     */
    static List<ChunkSpec> exportOrder(List<List<ChunkSpec>> plans, int threads) {
        List<ChunkSpec> out = new ArrayList<>();
        for (int first = 0; first < plans.size(); first += threads) {
            List<List<ChunkSpec>> group = plans.subList(first, Math.min(plans.size(), first + threads));
            int max = group.stream().mapToInt(List::size).max().orElse(0);
            for (int round = 0; round < max; round++) {
                for (List<ChunkSpec> plan : group) {
                    if (round < plan.size()) {
                        out.add(plan.get(round));
                    }
                }
            }
        }
        return out;
    }

    private static boolean allChunkFilesPresent(DumpFiles files, DumpMetadata m) {
        return m.tables().stream().flatMap(t -> t.chunks().stream())
                .allMatch(c -> c.file() == null || Files.isRegularFile(files.resolve(c.file())));
    }
}
