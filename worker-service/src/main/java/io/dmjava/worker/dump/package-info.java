/**
 * The {@code dump} unit: a consistent snapshot of the selected upstream tables, written to the subtask's data
 * dir for the load unit.
 *
 * <h2>Snapshot</h2>
 * {@link io.dmjava.worker.dump.SnapshotCoordinator} opens {@code export_threads} connections that all read one
 * state: under FLUSH TABLES WITH READ LOCK (or LOCK TABLES ... READ without the RELOAD privilege) each starts
 * {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}, the binlog position (SHOW MASTER STATUS) and GTID set
 * ({@code gtid_binlog_pos} / {@code gtid_executed}) are read, and the lock is released. With consistency
 * {@code none} every connection has its own snapshot, located exactly on MariaDB by
 * {@code binlog_snapshot_file/position}. A connection lost mid-dump is replaced by one with a new snapshot;
 * the chunks it reads record that snapshot's position, which is why every chunk carries a position.
 *
 * <h2>Chunks</h2>
 * {@link io.dmjava.worker.dump.ChunkPlanner} splits each table along its primary key (or first NOT NULL
 * unique key): integer-led keys by MIN/MAX ranges, others by boundaries sampled from the key index; tables
 * without such a key form one chunk. Chunks are streamed ({@code setFetchSize}) so memory is bounded.
 *
 * <h2>Files ({@link io.dmjava.worker.dump.DumpFiles}), under {@code <data dir>/dump/}</h2>
 * <ul>
 *   <li>{@code data/tNNNNN.MMMMM.tsv}: one chunk in {@link io.dmjava.worker.dump.TsvFormat}, exactly what
 *       {@code LOAD DATA ... CHARACTER SET binary} reads. Values are stored bytes (strings in their own
 *       charset, binaries, BIT) or the server's exact text (numbers, dates in UTC; FLOAT widened to DOUBLE).</li>
 *   <li>{@code schema/dNNNNN.*.sql}, {@code schema/tNNNNN.*.sql}: SHOW CREATE DATABASE / TABLE, upstream names.</li>
 *   <li>{@code metadata.json}: {@link io.dmjava.worker.dump.DumpMetadata}, written last; its presence with
 *       {@code finished: true} is what makes a dump complete.</li>
 * </ul>
 * Every file is written to a temporary name, forced and renamed. A dump found finished is reused as is; an
 * unfinished one is deleted and taken again from a new snapshot (a snapshot cannot outlive its connections).
 *
 * <h2>Feed</h2>
 * While it runs, the dump also publishes to a {@link io.dmjava.worker.dump.DumpFeed} its plan (snapshot id,
 * tables, every chunk id), each chunk once its file is renamed into place, and finally its metadata, so that a
 * load running alongside imports chunks as they appear. Chunks are handed to the export threads a few tables
 * at a time, so tables complete one group after another rather than all at the end.
 *
 * <h2>Plan journal (failover)</h2>
 * In a full migration the plan is also saved downstream ({@link io.dmjava.worker.dump.PlanJournal}, stored by
 * the load package) before any chunk is read. A dump of the same run that finds it with chunks already loaded, on
 * this worker or another after the first one died, continues it ({@link io.dmjava.worker.dump.PlanResume}): only
 * the chunks not loaded are read, from a new snapshot; the loaded ones are listed in the metadata without a file,
 * with the position the loader checkpoint recorded for them. Only in task mode {@code all} (whose sync unit
 * replays from the smallest position in safe mode) or with consistency {@code none}; else a new snapshot.
 */
package io.dmjava.worker.dump;
