package io.dmjava.worker.dump;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import io.dmjava.worker.unit.UnitContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a dump's chunk plan outlives the worker that made it: kept next to the loader checkpoint in the
 * downstream, so that any worker taking the subtask over finds which chunks exist, which of them are loaded
 * (with the binlog position each was read at) and which are to be read again. The dump defines what it needs;
 * the load package stores it (the downstream is the load's).
 */
public interface PlanJournal {
    /** One chunk of a planned table: the rows matching {@code where} with its {@code ?} values. */
    record PlannedChunk(@JsonProperty("where") String where, @JsonProperty("params") List<byte[]> params) {
        public PlannedChunk {
            params = params == null ? List.of() : List.copyOf(params);
        }
    }

    /**
     * A planned table: its structure as the plan saw it (the target tables were created from it, and sync starts
     * with it), the key its chunks' ranges refer to and the chunks in key order (chunk seq = list index).
     */
    record PlannedTable(int index, String schema, String table, String createDatabase, String createTable,
                        String keyIndex, List<DumpedColumn> columns, long estimatedRows, List<PlannedChunk> chunks) {
        public PlannedTable {
            columns = List.copyOf(columns);
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * A dump's plan.
     *
     * @param planId the plan's id: the snapshot id the loader checkpoint rows of its chunks carry
     * @param dumpId which run of the subtask (task, source, generation) it belongs to: {@link DumpFiles#dumpId()}
     */
    record Plan(String planId, String dumpId, List<PlannedTable> tables) {
        public Plan {
            tables = List.copyOf(tables);
        }
    }

    /**
     * A saved plan and the chunks of it already loaded downstream.
     *
     * @param loaded chunk id -> the chunk as loaded (no file: it may be on another worker), with the position it
     *               was read at
     */
    record Saved(Plan plan, Map<String, ChunkDump> loaded) {
        public Saved {
            loaded = Map.copyOf(loaded);
        }
    }

    /** The plan saved for this subtask's dump {@code dumpId}, if any, with its loaded chunks. */
    Optional<Saved> find(UnitContext ctx, String dumpId);

    /** Replaces the subtask's saved plan by {@code plan}, before any of its chunks is read. */
    void save(UnitContext ctx, Plan plan);
}
