package io.dmjava.worker.dump;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a dump produced, read by the load unit and by the sync unit (for where to start replicating). Stored
 * as {@code dump/metadata.json} in the subtask's data dir; read it with {@link #read(Path)}.
 *
 * @param snapshotId    random id of the snapshot these files belong to; the loader checkpoint records it
 * @param position      the snapshot's binlog position: replicate from here. In {@code none} mode it is the
 *                      smallest chunk position (see {@link #positionExact})
 * @param positionExact true when every chunk was read at exactly {@code position} (flush/lock modes); when
 *                      false, sync must start at {@link #minChunkPosition()} in safe mode and keep safe mode
 *                      until it passes {@link #maxChunkPosition()}
 * @param finished      false while the dump runs; a dump found unfinished is started over
 */
public record DumpMetadata(
        @JsonProperty("version") int version,
        @JsonProperty("snapshot_id") String snapshotId,
        @JsonProperty("source") String source,
        @JsonProperty("flavor") String flavor,
        @JsonProperty("server_version") String serverVersion,
        @JsonProperty("consistency") String consistency,
        @JsonProperty("position") BinlogPosition position,
        @JsonProperty("position_exact") boolean positionExact,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("finished") boolean finished,
        @JsonProperty("schemas") List<SchemaDump> schemas,
        @JsonProperty("tables") List<TableDump> tables) {

    public static final int VERSION = 1;

    public DumpMetadata {
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    /** A dumped schema (database) and the file holding its CREATE DATABASE statement. */
    public record SchemaDump(@JsonProperty("schema") String schema, @JsonProperty("file") String file) {
    }

    /** A dumped column: its name and lower-case DATA_TYPE. Generated columns are never listed. */
    public record DumpedColumn(@JsonProperty("name") String name, @JsonProperty("data_type") String dataType) {
    }

    /**
     * A dumped table.
     *
     * @param schemaFile file with its SHOW CREATE TABLE statement (upstream names)
     * @param columns    the columns of every chunk file, in order
     */
    public record TableDump(@JsonProperty("index") int index,
                            @JsonProperty("schema") String schema,
                            @JsonProperty("table") String table,
                            @JsonProperty("schema_file") String schemaFile,
                            @JsonProperty("columns") List<DumpedColumn> columns,
                            @JsonProperty("estimated_rows") long estimatedRows,
                            @JsonProperty("chunks") List<ChunkDump> chunks) {
        public TableDump {
            columns = columns == null ? List.of() : List.copyOf(columns);
            chunks = chunks == null ? List.of() : List.copyOf(chunks);
        }
    }

    /**
     * One chunk file.
     *
     * @param id       stable chunk id (also the loader checkpoint key)
     * @param file     path relative to the dump directory; null for a chunk an earlier run (maybe on another
     *                 worker) loaded, whose file is not here (a continued plan, {@link PlanResume})
     * @param position the binlog position of the snapshot the chunk was read from
     */
    public record ChunkDump(@JsonProperty("id") String id,
                            @JsonProperty("file") String file,
                            @JsonProperty("rows") long rows,
                            @JsonProperty("bytes") long bytes,
                            @JsonProperty("position") BinlogPosition position) {
    }

    /** The same metadata with another {@code position} (a continued plan starts replication at its smallest). */
    public DumpMetadata withPosition(BinlogPosition p) {
        return new DumpMetadata(version, snapshotId, source, flavor, serverVersion, consistency, p, positionExact, startedAt,
                finishedAt, finished, schemas, tables);
    }

    /** Reads the metadata of the dump in a subtask data dir, if there is one. */
    public static Optional<DumpMetadata> read(Path subtaskDataDir) {
        return DumpFiles.of(subtaskDataDir).readMetadata();
    }

    public long totalRows() {
        return tables.stream().flatMap(t -> t.chunks().stream()).mapToLong(ChunkDump::rows).sum();
    }

    public long totalBytes() {
        return tables.stream().flatMap(t -> t.chunks().stream()).mapToLong(ChunkDump::bytes).sum();
    }

    /** The earliest position any chunk was read at (the snapshot position when there was one snapshot). */
    public BinlogPosition minChunkPosition() {
        return chunkPositions().min(Comparator.naturalOrder()).orElse(position);
    }

    /** The latest position any chunk was read at: sync leaves safe mode only after passing it. */
    public BinlogPosition maxChunkPosition() {
        return chunkPositions().max(Comparator.naturalOrder()).orElse(position);
    }

    private java.util.stream.Stream<BinlogPosition> chunkPositions() {
        return tables.stream().flatMap(t -> t.chunks().stream()).map(ChunkDump::position)
                .filter(p -> p != null && p.isKnown());
    }
}
