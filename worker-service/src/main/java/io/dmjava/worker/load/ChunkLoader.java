package io.dmjava.worker.load;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.ConnectionSlots;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlRetry;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.TableDump;
import io.dmjava.worker.unit.UnitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Imports one chunk exactly once: in a single downstream transaction it inserts the chunk's checkpoint row,
 * then its data, then commits. If the row is already there the chunk was imported before and is skipped;
 * if anything fails the whole transaction rolls back and is retried (retryable errors) or reported.
 */
final class ChunkLoader {
    /** What happened to a chunk. */
    enum Outcome { LOADED, ALREADY_DONE }

    private final ConnectionSlots connections;
    private final CheckpointStore checkpoints;
    private final ChunkImporter importer;
    private final OnDuplicate onDuplicate;
    private final SqlRetry retry;
    private final String source;
    private final String snapshotId;

    ChunkLoader(ConnectionSlots connections, CheckpointStore checkpoints, ChunkImporter importer, OnDuplicate onDuplicate,
                SqlRetry retry, String source, String snapshotId) {
        this.connections = connections;
        this.checkpoints = checkpoints;
        this.importer = importer;
        this.onDuplicate = onDuplicate;
        this.retry = retry;
        this.source = source;
        this.snapshotId = snapshotId;
    }

    Outcome load(ChunkDump chunk, Path file, TableDump table, TableName target) throws InterruptedException {
        verifyFile(chunk, file);
        try {
            return retry.call("load chunk " + chunk.id() + " into " + target,
                    () -> connections.with(c -> inTransaction(c, chunk, file, table, target)));
        } catch (InterruptedException | DmException e) {
            throw e;
        } catch (ChunkImporter.Duplicate e) {
            throw new UnitException(ErrorCode.LOAD_DUPLICATE_KEY, e, chunk.file(), target, e.getMessage());
        } catch (Exception e) {
            throw new UnitException(ErrorCode.LOAD_CHUNK_FAILED, e, chunk.file(), target, SqlErrors.describe(e));
        }
    }

    private Outcome inTransaction(Connection c, ChunkDump chunk, Path file, TableDump table, TableName target)
            throws Exception {
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            if (!checkpoints.claim(c, source, snapshotId, chunk.id(), target, chunk.file(), chunk.rows(), chunk.bytes(),
                    chunk.position())) {
                return Outcome.ALREADY_DONE;
            }
            importer.importChunk(c, file, target, table.columns(), onDuplicate, chunk.rows());
            c.commit();
            committed = true;
            return Outcome.LOADED;
        } finally {
            if (!committed) {
                rollbackQuietly(c);
            }
        }
    }

    private static void verifyFile(ChunkDump chunk, Path file) {
        try {
            long size = Files.size(file);
            if (size != chunk.bytes()) {
                throw new UnitException(ErrorCode.LOAD_CHUNK_CORRUPT, file, size + " bytes, the dump wrote " + chunk.bytes());
            }
        } catch (java.io.IOException e) {
            throw new UnitException(ErrorCode.LOAD_CHUNK_CORRUPT, e, file, e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // A broken connection rolls back on the server side when it closes.
        }
    }
}
