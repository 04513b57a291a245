package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.load.IndexDeferral.DeferredIndex;
import java.util.List;

/**
 * A downstream table the load writes to.
 *
 * @param ownedByDump created by this source's load for this very dump directory ({@link TableMarkers}): it may
 *                    take chunks before the dump has finished, since it is dropped and loaded again should that
 *                    dump be taken again
 * @param deferred    the secondary indexes to add once all this load's chunks are in ({@link PendingIndexes})
 */
record TargetTable(TableName name, boolean ownedByDump, List<DeferredIndex> deferred) {
    TargetTable {
        deferred = List.copyOf(deferred);
    }
}
