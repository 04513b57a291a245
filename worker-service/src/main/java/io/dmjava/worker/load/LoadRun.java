package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.ConnectionSlots;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.db.StallWatchdog;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.TableDump;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the load unit: prepares the downstream from the dump's plan, then follows the dump's feed,
 * handing chunks to the import threads ({@link LoadScheduler}) as their files appear, and checks at the end
 * that every chunk of the dump's final metadata is committed.
 */
final class LoadRun {
    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);

    private final UnitContext ctx;
    private final DumpFiles files;
    private final DumpFeed feed;
    private final LoadProgress progress;
    private final SqlRetry retry;
    private final JdbcConnector connector;
    private final CheckpointStore checkpoints;
    private LoadOptions options;

    LoadRun(UnitContext ctx, LoadOptions options, DumpFiles files, DumpFeed feed, LoadProgress progress, SqlRetry retry) {
        this.ctx = ctx;
        this.options = options;
        this.files = files;
        this.feed = feed;
        this.progress = progress;
        this.retry = retry;
        this.connector = new JdbcConnector(ctx.target(), TargetSession.statements());
        this.checkpoints = new CheckpointStore(ctx.metaSchema(), ctx.taskName(), ctx.fence());
    }

    /** @param first the feed's first view holding the plan */
    void run(DumpFeed.View first) throws InterruptedException {
        DumpFeed.Plan plan = first.plan();
        Map<TableDump, TableName> routes = routes(plan.tables());
        // Only the sole writer of the tables it created may drop them and start over (see LoadPreparer), and
        // only then may chunks go in before the dump has finished. A task merging several sources has more.
        boolean soleWriter = ctx.task().sourceNames().size() <= 1;
        LoadPreparer.Prepared prepared;
        try (Connection c = connector.open()) {
            prepared = new LoadPreparer(checkpoints, new TableMarkers(ctx.metaSchema(), ctx.taskName()), files,
                    ctx.sourceName(), options.deferIndexes()).prepare(c, plan, routes, soleWriter);
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
        }
        if (options.method() == LoadMethod.LOAD_DATA && !localInfileEnabled()) {
            log.warn("subtask {}/{}: the downstream has local_infile off; importing with multi-row INSERT instead",
                    ctx.taskName(), ctx.sourceName());
            options = options.withMethod(LoadMethod.INSERT);
        }
        Map<TableName, Integer> remaining = new HashMap<>();
        for (TableDump t : plan.tables()) {
            long left = plan.chunkIds().get(t.index()).stream().filter(id -> !prepared.done().containsKey(id)).count();
            remaining.merge(routes.get(t), (int) left, Integer::sum);
        }
        progress.start(plan.position().toString(), plan.position().gtid());
        log.info("subtask {}/{}: loading {} tables ({} chunks already imported) with {} threads by {}, on_duplicate {},"
                        + " {} tables with deferred indexes{}", ctx.taskName(), ctx.sourceName(), prepared.targets().size(),
                prepared.done().size(), options.importThreads(), options.method(), options.onDuplicate(),
                prepared.targets().values().stream().filter(t -> !t.deferred().isEmpty()).count(),
                first.finished() == null ? ", following the running dump" : "");

        LoadScheduler scheduler = new LoadScheduler(prepared.targets(), remaining, ctx.stopRequested());
        DumpFeed.View last;
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(options.importThreads(), r -> {
            Thread t = new Thread(r, "load-import-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (StallWatchdog watchdog = new StallWatchdog(options.uploadStall());
             ConnectionSlots connections = new ConnectionSlots(connector, options.importThreads())) {
            ChunkImporter importer = options.method() == LoadMethod.LOAD_DATA
                    ? new LoadDataImporter(watchdog) : new InsertImporter(options.insertBatchBytes());
            ImportThread work = new ImportThread(scheduler, new ChunkLoader(connections, checkpoints, importer,
                    options.onDuplicate(), retry, ctx.sourceName(), plan.snapshotId()), new IndexBuilder(connector, retry),
                    files, progress);
            for (int i = 0; i < options.importThreads(); i++) {
                threads.execute(work);
            }
            last = follow(first, routes, prepared, scheduler, soleWriter);
            threads.shutdown();
            while (!threads.awaitTermination(1, TimeUnit.SECONDS)) {
                // the import threads end once the scheduler has nothing more for them
            }
        } finally {
            scheduler.halt(); // nothing more after a failure of this thread (a no-op after a normal end)
            threads.shutdownNow();
            threads.awaitTermination(60, TimeUnit.SECONDS);
        }
        rethrow(scheduler.failure());
        DumpMetadata finished = last.finished();
        if (finished == null) {
            LoadUnit.endedUnfinished(ctx, files, last);
        }
        if (finished == null || ctx.stopRequested().getAsBoolean()) {
            log.info("subtask {}/{}: load stopped; it continues from its checkpoint", ctx.taskName(), ctx.sourceName());
            return;
        }
        verifyAllImported(finished);
        progress.finish();
        LoadStatus s = progress.snapshot();
        log.info("subtask {}/{}: load finished: {} rows, {} bytes, {} B/s; binlog {}", ctx.taskName(), ctx.sourceName(),
                s.finishedRows(), s.finishedBytes(), s.bps(), finished.position());
    }

    /**
     * Passes the feed's chunks to the scheduler until the dump finishes or ends without finishing, or the load
     * stops or fails; returns the last view of the feed. Chunks of tables this load may not fill early are held
     * until the dump has finished.
     */
    private DumpFeed.View follow(DumpFeed.View view, Map<TableDump, TableName> routes, LoadPreparer.Prepared prepared,
                                LoadScheduler scheduler, boolean soleWriter) throws InterruptedException {
        DumpFeed.Plan plan = view.plan();
        Map<Integer, TableDump> byIndex = new HashMap<>();
        plan.tables().forEach(t -> byIndex.put(t.index(), t));
        List<Pending> held = new ArrayList<>();
        while (true) {
            for (DumpFeed.Chunk c : view.newChunks()) {
                TableDump table = byIndex.get(c.tableIndex());
                Pending p = new Pending(c.chunk(), table, routes.get(table));
                boolean imported = prepared.done().containsKey(c.chunk().id());
                progress.available(c.chunk().bytes(), c.chunk().rows(), imported);
                if (!imported && c.chunk().file() == null) {
                    throw new UnitException(ErrorCode.INTERNAL, "chunk " + c.chunk().id() + " has no file and is not in"
                            + " the loader checkpoint " + checkpoints.table() + " (was it cleared while the task ran?)");
                }
                if (!imported) {
                    if (soleWriter && prepared.targets().get(p.target()).ownedByDump()) {
                        scheduler.offer(p);
                    } else {
                        held.add(p);
                    }
                }
            }
            if (view.finished() != null) {
                checkAgainstPlan(plan, view.finished());
                held.forEach(scheduler::offer);
                scheduler.inputComplete();
                return view;
            }
            if (view.ended() || scheduler.halted() || ctx.stopRequested().getAsBoolean()) {
                scheduler.halt();
                return view;
            }
            view = feed.await(view.cursor(), view.version(), 200);
        }
    }

    /** The final metadata must describe the very chunks the plan announced (the load already relied on it). */
    private static void checkAgainstPlan(DumpFeed.Plan plan, DumpMetadata finished) {
        boolean same = finished.snapshotId().equals(plan.snapshotId()) && finished.tables().size() == plan.tables().size()
                && finished.tables().stream().allMatch(t ->
                        t.chunks().stream().map(ChunkDump::id).toList().equals(plan.chunkIds().get(t.index())));
        if (!same) {
            throw new UnitException(ErrorCode.INTERNAL, "the finished dump " + finished.snapshotId()
                    + " does not match the plan it announced (snapshot " + plan.snapshotId() + ")");
        }
    }

    /** A last look at the checkpoint: every chunk of the dump must be there, from this snapshot. */
    private void verifyAllImported(DumpMetadata finished) {
        Map<String, String> done;
        try (Connection c = connector.open()) {
            done = checkpoints.finished(c, ctx.sourceName());
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
        }
        for (TableDump t : finished.tables()) {
            for (ChunkDump chunk : t.chunks()) {
                if (!finished.snapshotId().equals(done.get(chunk.id()))) {
                    throw new UnitException(ErrorCode.INTERNAL, "chunk " + chunk.id() + " of " + t.schema() + "." + t.table()
                            + " is not in the loader checkpoint after the load");
                }
            }
        }
    }

    private static void rethrow(Throwable failure) throws InterruptedException {
        if (failure == null) {
            return;
        }
        if (failure instanceof InterruptedException ie) {
            throw ie;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new UnitException(ErrorCode.INTERNAL, failure, "load: " + failure);
    }

    private Map<TableDump, TableName> routes(List<TableDump> tables) {
        Map<TableDump, TableName> routes = new IdentityHashMap<>();
        for (TableDump t : tables) {
            // A table the router no longer selects keeps its name: the dump decided what to migrate.
            routes.put(t, ctx.router().route(t.schema(), t.table()).orElse(new TableName(t.schema(), t.table())));
        }
        return routes;
    }

    /** Whether the downstream accepts LOAD DATA LOCAL (MySQL 8 turns it off by default). */
    private boolean localInfileEnabled() {
        try (Connection c = connector.open(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
            String v = rs.next() ? rs.getString(1) : "1";
            return !("0".equals(v) || "OFF".equalsIgnoreCase(v));
        } catch (SQLException e) {
            return true; // a server without the variable (TiDB) has no such switch
        }
    }
}
