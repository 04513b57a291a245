package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpFeed;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.metrics.ProgressReporting;
import io.dmjava.worker.metrics.UnitProgress;
import io.dmjava.worker.unit.PipelinedUnit;
import io.dmjava.worker.unit.UnitContext;
import io.dmjava.worker.unit.UnitException;
import java.util.function.UnaryOperator;

/**
 * The {@code load} unit: imports a dump into the downstream. Creates the routed schemas and tables, then
 * imports chunks on {@code import_threads} connections; each chunk commits together with its row in the
 * loader checkpoint table, so a run after a crash or a pause imports exactly the chunks not yet committed.
 * Tables it creates get their plain secondary indexes once their chunks are in ({@link IndexDeferral}).
 *
 * <p>Given a {@link DumpFeed}, the load runs alongside the dump and imports each chunk as soon as its file is
 * complete, into the tables it created itself (those it can drop and load again should the dump have to
 * start over); other chunks wait for the dump to finish. It finishes only once the dump has finished and
 * every chunk of its final metadata is committed. Without a feed it loads the finished dump on disk.
 */
public final class LoadUnit implements PipelinedUnit, ProgressReporting {
    private final UnaryOperator<LoadOptions> tuning;
    private final SqlRetry retry;
    private final DumpFeed feed;
    private final LoadProgress progress = new LoadProgress();

    /** A load of the finished dump on disk, with the task's settings. */
    public LoadUnit() {
        this(UnaryOperator.identity(), SqlRetry.DEFAULT);
    }

    /** A load of the finished dump on disk whose options (taken from the task) are adjusted by {@code tuning}. */
    public LoadUnit(UnaryOperator<LoadOptions> tuning, SqlRetry retry) {
        this(tuning, retry, null);
    }

    /** A load following {@code feed}, the output of a dump that may still be running (null: the dump on disk). */
    public LoadUnit(UnaryOperator<LoadOptions> tuning, SqlRetry retry, DumpFeed feed) {
        this.tuning = tuning;
        this.retry = retry;
        this.feed = feed;
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
    public UnitProgress progress() {
        return progress.counts();
    }

    @Override
    public boolean followsPrevious() {
        return feed != null;
    }

    @Override
    public void run(UnitContext ctx) throws InterruptedException {
        LoadOptions options = tuning.apply(LoadOptions.from(ctx.task()));
        DumpFiles files = DumpFiles.of(ctx.dataDir());
        DumpFeed input = feed != null ? feed : DumpFeed.ofFinished(files.readMetadata().filter(DumpMetadata::finished)
                .orElseThrow(() -> new UnitException(ErrorCode.LOAD_DUMP_NOT_FOUND, files.root(),
                        "metadata.json is missing or says the dump is unfinished")));
        DumpFeed.View first = input.await(0, -1, 0);
        while (first.plan() == null && !first.ended()) {
            if (ctx.stopRequested().getAsBoolean()) {
                return;
            }
            first = input.await(0, first.version(), 200);
        }
        if (first.plan() == null) {
            endedUnfinished(ctx, files, first);
            return;
        }
        new LoadRun(ctx, options, files, input, progress, retry).run(first);
    }

    /**
     * The dump ended without finishing: it failed, and its runner reports its error, or it was stopped, by the
     * same stop request this load sees. Either way this load just stops; anything else is a bug to report.
     */
    static void endedUnfinished(UnitContext ctx, DumpFiles files, DumpFeed.View last) {
        if (!last.failed() && !ctx.stopRequested().getAsBoolean()) {
            throw new UnitException(ErrorCode.LOAD_DUMP_NOT_FOUND, files.root(), "the dump ended before it finished");
        }
    }
}
