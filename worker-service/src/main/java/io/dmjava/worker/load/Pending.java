package io.dmjava.worker.load;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.TableDump;

/** A chunk to import, with its upstream table and routed target. */
record Pending(ChunkDump chunk, TableDump table, TableName target) {
}
