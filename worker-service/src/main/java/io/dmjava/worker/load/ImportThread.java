package io.dmjava.worker.load;

import io.dmjava.worker.dump.DumpFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of an import thread: takes work from the scheduler until there is none, importing chunks (each one
 * transaction with its checkpoint row) and adding deferred indexes. The first failure stops the scheduler.
 */
final class ImportThread implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ImportThread.class);

    private final LoadScheduler scheduler;
    private final ChunkLoader loader;
    private final IndexBuilder indexes;
    private final DumpFiles files;
    private final LoadProgress progress;

    ImportThread(LoadScheduler scheduler, ChunkLoader loader, IndexBuilder indexes, DumpFiles files, LoadProgress progress) {
        this.scheduler = scheduler;
        this.loader = loader;
        this.indexes = indexes;
        this.files = files;
        this.progress = progress;
    }

    @Override
    public void run() {
        int lastTable = -1;
        try {
            for (LoadScheduler.Work w = scheduler.next(lastTable); w != null; w = scheduler.next(lastTable)) {
                if (w instanceof LoadScheduler.ImportChunk ic) {
                    Pending p = ic.pending();
                    ChunkLoader.Outcome outcome = loader.load(p.chunk(), files.resolve(p.chunk().file()), p.table(), p.target());
                    if (outcome == ChunkLoader.Outcome.LOADED) {
                        progress.chunkDone(p.chunk().bytes(), p.chunk().rows());
                        log.info("imported chunk {} ({} rows) into {}", p.chunk().id(), p.chunk().rows(), p.target());
                    }
                    lastTable = p.table().index();
                } else if (w instanceof LoadScheduler.BuildIndexes b) {
                    indexes.build(b.table());
                }
                scheduler.done(w);
            }
        } catch (InterruptedException e) {
            scheduler.halt();
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            scheduler.failed(e);
        }
    }
}
