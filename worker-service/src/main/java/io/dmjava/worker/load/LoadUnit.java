package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.ConnectionSlots;
import io.dmjava.worker.db.JdbcConnector;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.db.StallWatchdog;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.TableDump;
import io.dmjava.worker.unit.Unit;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code load} unit: imports the finished dump found in the subtask's data dir ({@link DumpMetadata}) into
 * the downstream. Creates the routed schemas and tables, then imports chunks on {@code import_threads}
 * connections; each chunk commits together with its row in the loader checkpoint table, so a run after a
 * crash or a pause imports exactly the chunks not yet committed.
 */
public final class LoadUnit implements Unit {
    private static final Logger log = LoggerFactory.getLogger(LoadUnit.class);

    private final UnaryOperator<LoadOptions> tuning;
    private final SqlRetry retry;
    private final LoadProgress progress = new LoadProgress();

    /** A load with the task's settings. */
    public LoadUnit() {
        this(UnaryOperator.identity(), SqlRetry.DEFAULT);
    }

    /** A load whose options (taken from the task) are adjusted by {@code tuning}, e.g. another method. */
    public LoadUnit(UnaryOperator<LoadOptions> tuning, SqlRetry retry) {
        this.tuning = tuning;
        this.retry = retry;
    }

    @Override
    public String type() {
        return "load";
    }

    @Override
    public LoadStatus status() {
        return progress.snapshot();
    }

    @Override
    public void run(UnitContext ctx) throws InterruptedException {
        LoadOptions options = tuning.apply(LoadOptions.from(ctx.task()));
        DumpFiles files = DumpFiles.of(ctx.dataDir());
        DumpMetadata metadata = files.readMetadata().filter(DumpMetadata::finished)
                .orElseThrow(() -> new UnitException(ErrorCode.LOAD_DUMP_NOT_FOUND, files.root(),
                        "metadata.json is missing or says the dump is unfinished"));
        Map<TableDump, TableName> routes = routes(ctx, metadata);
        JdbcConnector connector = new JdbcConnector(ctx.target(), TargetSession.statements());
        CheckpointStore checkpoints = new CheckpointStore(ctx.metaSchema(), ctx.taskName());
        Map<String, String> done = prepare(ctx, connector, checkpoints, metadata, routes, files);
        if (options.method() == LoadMethod.LOAD_DATA && !localInfileEnabled(connector)) {
            log.warn("subtask {}/{}: the downstream has local_infile off; importing with multi-row INSERT instead",
                    ctx.taskName(), ctx.sourceName());
            options = options.withMethod(LoadMethod.INSERT);
        }

        List<Pending> pending = new ArrayList<>();
        long doneBytes = 0;
        long doneRows = 0;
        for (Pending p : interleave(metadata, routes)) {
            if (done.containsKey(p.chunk().id())) {
                doneBytes += p.chunk().bytes();
                doneRows += p.chunk().rows();
            } else {
                pending.add(p);
            }
        }
        progress.start(metadata.totalBytes(), metadata.totalRows(), doneBytes, doneRows,
                metadata.position().toString(), metadata.position().gtid());
        log.info("subtask {}/{}: loading {} of {} chunks ({} already imported) with {} threads by {}, on_duplicate {}",
                ctx.taskName(), ctx.sourceName(), pending.size(), pending.size() + done.size(), done.size(),
                options.importThreads(), options.method(), options.onDuplicate());

        try (StallWatchdog watchdog = new StallWatchdog(options.uploadStall());
             ConnectionSlots connections = new ConnectionSlots(connector, options.importThreads());
             ImportPool pool = new ImportPool(options.importThreads(), ctx.stopRequested())) {
            ChunkImporter importer = options.method() == LoadMethod.LOAD_DATA
                    ? new LoadDataImporter(watchdog) : new InsertImporter(options.insertBatchBytes());
            ChunkLoader loader = new ChunkLoader(connections, checkpoints, importer, options.onDuplicate(), retry,
                    ctx.sourceName(), metadata.snapshotId());
            pool.runAll(pending, p -> {
                ChunkLoader.Outcome outcome = loader.load(p.chunk(), files.resolve(p.chunk().file()), p.table(), p.target());
                if (outcome == ChunkLoader.Outcome.LOADED) {
                    progress.chunkDone(p.chunk().bytes(), p.chunk().rows());
                    log.info("imported chunk {} ({} rows) into {}", p.chunk().id(), p.chunk().rows(), p.target());
                }
            });
        }
        if (ctx.stopRequested().getAsBoolean()) {
            log.info("subtask {}/{}: load stopped; it continues from its checkpoint", ctx.taskName(), ctx.sourceName());
            return;
        }
        progress.finish();
        LoadStatus s = progress.snapshot();
        log.info("subtask {}/{}: load finished: {} rows, {} bytes, {} B/s; binlog {}", ctx.taskName(), ctx.sourceName(),
                s.finishedRows(), s.finishedBytes(), s.bps(), metadata.position());
    }

    /** A chunk still to import, with its table and routed target. */
    record Pending(ChunkDump chunk, TableDump table, TableName target) {
    }

    private static Map<TableDump, TableName> routes(UnitContext ctx, DumpMetadata metadata) {
        Map<TableDump, TableName> routes = new IdentityHashMap<>();
        for (TableDump t : metadata.tables()) {
            // A table the router no longer selects keeps its name: the dump decided what to migrate.
            routes.put(t, ctx.router().route(t.schema(), t.table()).orElse(new TableName(t.schema(), t.table())));
        }
        return routes;
    }

    /** Creates the checkpoint table and the target tables; returns the chunks already imported. */
    private static Map<String, String> prepare(UnitContext ctx, JdbcConnector connector, CheckpointStore checkpoints,
                                               DumpMetadata metadata, Map<TableDump, TableName> routes, DumpFiles files) {
        Map<String, String> done;
        try (Connection c = connector.open()) {
            try {
                checkpoints.ensure(c);
                done = checkpoints.finished(c, ctx.sourceName());
            } catch (SQLException e) {
                throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
            }
            for (Map.Entry<String, String> e : done.entrySet()) {
                if (!e.getValue().equals(metadata.snapshotId())) {
                    throw new UnitException(ErrorCode.LOAD_CHECKPOINT_MISMATCH, checkpoints.table(), e.getValue(),
                            metadata.snapshotId());
                }
            }
            new SchemaCreator(files).create(c, metadata, routes);
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CHECKPOINT_FAILED, e, checkpoints.table(), SqlErrors.describe(e));
        }
        return done;
    }

    /** Whether the downstream accepts LOAD DATA LOCAL (MySQL 8 turns it off by default). */
    private static boolean localInfileEnabled(JdbcConnector connector) {
        try (Connection c = connector.open(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
            String v = rs.next() ? rs.getString(1) : "1";
            return !("0".equals(v) || "OFF".equalsIgnoreCase(v));
        } catch (SQLException e) {
            return true; // a server without the variable (TiDB) has no such switch
        }
    }

    /** Chunks round-robin across tables, so parallel imports hit different tables (less lock contention). */
    private static List<Pending> interleave(DumpMetadata metadata, Map<TableDump, TableName> routes) {
        List<Pending> out = new ArrayList<>();
        int max = metadata.tables().stream().mapToInt(t -> t.chunks().size()).max().orElse(0);
        for (int round = 0; round < max; round++) {
            for (TableDump t : metadata.tables()) {
                if (round < t.chunks().size()) {
                    out.add(new Pending(t.chunks().get(round), t, routes.get(t)));
                }
            }
        }
        return out;
    }
}
