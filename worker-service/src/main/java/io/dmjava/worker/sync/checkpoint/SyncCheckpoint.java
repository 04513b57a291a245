package io.dmjava.worker.sync.checkpoint;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.BinlogPosition;
import java.util.Map;

/**
 * What the sync unit persisted downstream at its last flush.
 *
 * @param position   every event before it is applied downstream: replication resumes here
 * @param safeUntil  replication must stay in safe mode until it passes this position (the furthest point an
 *                   earlier run or a non-exact dump may have written); null when not needed
 * @param start      which start request the checkpoint follows, and its safe-mode window
 * @param tables     each tracked upstream table's CREATE TABLE statement as of {@code position}
 */
public record SyncCheckpoint(BinlogPosition position, BinlogPosition safeUntil, StartMark start, Map<TableName, String> tables) {
    public SyncCheckpoint {
        tables = Map.copyOf(tables);
    }
}
