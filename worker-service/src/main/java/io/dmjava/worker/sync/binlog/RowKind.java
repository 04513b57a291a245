package io.dmjava.worker.sync.binlog;

/** What a rows event does. */
public enum RowKind {
    INSERT, UPDATE, DELETE
}
