/**
 * The {@code load} unit: imports a dump ({@link io.dmjava.worker.dump.DumpMetadata}) into the downstream,
 * following the dump while it runs when the subtask runs both together.
 *
 * <p>Exactly once: each chunk is one downstream transaction that first inserts the chunk's row into
 * {@code <meta_schema>.<task>_loader_checkpoint} (key: source, chunk id), then imports the chunk file, then
 * commits. A chunk whose row exists is skipped; a crash before the commit rolls everything back. The
 * checkpoint rows carry the dump's snapshot id; rows of another snapshot stop the load
 * ({@code LOAD_CHECKPOINT_MISMATCH}) rather than mix two dumps, except in one case the load resolves itself:
 * the dump of the same directory was taken again after a crash while chunks were being imported as it ran, and
 * those chunks all went into tables this source's load created (below); those tables are dropped and loaded
 * again. The target tables must be transactional (InnoDB) for this guarantee.
 *
 * <p>Positions and plans: each checkpoint row also records the binlog position its chunk was read at, and
 * {@link io.dmjava.worker.load.DumpPlanStore} keeps the dump's chunk plan in {@code <meta_schema>.<task>_dump_plan},
 * so that a worker taking the subtask over continues the plan and the sync unit starts from the smallest position.
 *
 * <p>Tables: a target table that does not exist is recorded in {@code <meta_schema>.<task>_loader_table}, then
 * created by that source's load without its plain secondary indexes, their definitions appended to the
 * table's comment ({@link io.dmjava.worker.load.PendingIndexes}; built under a scratch name and renamed, so the
 * table never exists without that record). Once all the load's chunks of the table are committed one {@code
 * ALTER TABLE ... ADD KEY ...} builds them by sorting ({@link io.dmjava.worker.load.IndexDeferral}), then the
 * comment is restored. What is missing is read from the table each time, so a crash before, during or after
 * either ALTER, and {@code remove_meta} (which drops the meta tables but not the target tables), all end with
 * the upstream definition. Only tables created for the current dump directory take chunks before the dump has
 * finished, and only when the task has a single source (the load is then their sole writer and may drop them).
 * A table that existed before the task (no record in its comment) is left as it is.
 *
 * <p>Methods: {@code LOAD DATA LOCAL INFILE} (default, faster) or multi-row INSERT (used automatically when
 * the server has {@code local_infile} off). Sessions use time zone UTC, sql_mode
 * {@code NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES}, foreign_key_checks off, unique_checks on, and an
 * explicit column list without generated columns. Deadlocks, lock wait timeouts and lost connections are
 * retried with exponential backoff on a new connection.
 */
package io.dmjava.worker.load;
