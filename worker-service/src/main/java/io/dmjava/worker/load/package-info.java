/**
 * The {@code load} unit: imports a finished dump ({@link io.dmjava.worker.dump.DumpMetadata}) into the
 * downstream.
 *
 * <p>Exactly once: each chunk is one downstream transaction that first inserts the chunk's row into
 * {@code <meta_schema>.<task>_loader_checkpoint} (key: source, chunk id), then imports the chunk file, then
 * commits. A chunk whose row exists is skipped; a crash before the commit rolls everything back. The
 * checkpoint rows carry the dump's snapshot id; rows of another snapshot stop the load
 * ({@code LOAD_CHECKPOINT_MISMATCH}) rather than mix two dumps. The target tables must be transactional
 * (InnoDB) for this guarantee.
 *
 * <p>Methods: {@code LOAD DATA LOCAL INFILE} (default, faster) or multi-row INSERT (used automatically when
 * the server has {@code local_infile} off). Sessions use time zone UTC, sql_mode
 * {@code NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES}, foreign_key_checks off, unique_checks on, and an
 * explicit column list without generated columns. Deadlocks, lock wait timeouts and lost connections are
 * retried with exponential backoff on a new connection.
 */
package io.dmjava.worker.load;
