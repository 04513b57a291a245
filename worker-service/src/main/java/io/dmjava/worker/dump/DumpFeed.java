package io.dmjava.worker.dump;

import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.SchemaDump;
import io.dmjava.worker.dump.DumpMetadata.TableDump;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a running dump has produced so far, for a load that imports chunks while the dump goes on. The dump
 * publishes its plan (snapshot, tables, every chunk it will write), then each chunk once its file is complete
 * (renamed into place), then its final metadata; or it ends without finishing (stopped, failed). The load
 * follows with a cursor. Only memory: after a crash the dump starts over (or is found finished on disk) and
 * publishes everything again. One feed serves one run of one dump.
 */
public final class DumpFeed {
    /**
     * What the load needs before the first chunk.
     *
     * @param tables   the dumped tables, their {@code chunks} empty
     * @param chunkIds per table (same order), the id of every chunk the dump will write, in key order
     */
    public record Plan(String snapshotId, BinlogPosition position, List<SchemaDump> schemas, List<TableDump> tables,
                       List<List<String>> chunkIds) {
        public Plan {
            schemas = List.copyOf(schemas);
            tables = List.copyOf(tables);
            chunkIds = chunkIds.stream().map(List::copyOf).toList();
        }
    }

    /** A complete chunk file of table {@code tableIndex}. */
    public record Chunk(int tableIndex, ChunkDump chunk) {
    }

    /**
     * The feed as a consumer at some cursor sees it.
     *
     * @param plan      the plan, or null while the dump has not published it
     * @param newChunks chunks published since the cursor, in publication order
     * @param cursor    the chunk cursor to pass next time
     * @param version   counts every publication; pass it next time to wait for something new
     * @param finished  the final metadata once the dump finished, else null
     * @param ended     true once nothing more will come (finished or not)
     * @param failed    the dump ended with an error (its runner reports it); ended unfinished without one, it
     *                  was stopped
     */
    public record View(Plan plan, List<Chunk> newChunks, int cursor, long version, DumpMetadata finished, boolean ended,
                       boolean failed) {
    }

    private Plan plan;
    private final List<Chunk> chunks = new ArrayList<>();
    private DumpMetadata finished;
    private boolean ended;
    private boolean failed;
    private long version;

    /** A feed holding a dump that finished earlier (found on disk): every event at once. */
    public static DumpFeed ofFinished(DumpMetadata metadata) {
        DumpFeed feed = new DumpFeed();
        feed.publishAll(metadata);
        return feed;
    }

    /** Publishes a finished dump's plan, chunks and metadata at once. */
    synchronized void publishAll(DumpMetadata metadata) {
        publishPlan(new Plan(metadata.snapshotId(), metadata.position(), metadata.schemas(),
                metadata.tables().stream().map(DumpFeed::withoutChunks).toList(),
                metadata.tables().stream().map(t -> t.chunks().stream().map(ChunkDump::id).toList()).toList()));
        for (TableDump t : metadata.tables()) {
            t.chunks().forEach(c -> publishChunk(t.index(), c));
        }
        publishFinished(metadata);
    }

    static TableDump withoutChunks(TableDump t) {
        return new TableDump(t.index(), t.schema(), t.table(), t.schemaFile(), t.columns(), t.estimatedRows(), List.of());
    }

    synchronized void publishPlan(Plan p) {
        plan = p;
        version++;
        notifyAll();
    }

    synchronized void publishChunk(int tableIndex, ChunkDump chunk) {
        chunks.add(new Chunk(tableIndex, chunk));
        version++;
        notifyAll();
    }

    synchronized void publishFinished(DumpMetadata metadata) {
        finished = metadata;
        ended = true;
        version++;
        notifyAll();
    }

    /**
     * Nothing more will be published; a dump that did not finish says so by ending without metadata, and
     * whether it {@code failed} or was stopped.
     */
    synchronized void end(boolean failed) {
        this.failed |= failed && finished == null;
        ended = true;
        version++;
        notifyAll();
    }

    /**
     * Waits up to {@code timeoutMillis} for a publication after {@code seenVersion}, then tells what there is:
     * the chunks past {@code cursor}, the plan and the end state.
     */
    public synchronized View await(int cursor, long seenVersion, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (version <= seenVersion) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return new View(plan, List.copyOf(chunks.subList(Math.min(cursor, chunks.size()), chunks.size())), chunks.size(),
                version, finished, ended, failed);
    }
}
