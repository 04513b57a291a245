package io.dmjava.model.task;

import java.util.Optional;

/**
 * Decides, for one source of a task, which upstream tables are migrated and where each one goes
 * (block-allow-list plus route rules). Schemas are routed too: a database is created downstream under
 * its routed name.
 */
public interface TableRouter {
    /** The downstream table for an upstream table, or empty when the table is not migrated. */
    Optional<TableName> route(String schema, String table);

    /** Whether any table of this upstream schema may be migrated (so the dump can skip whole schemas). */
    boolean schemaMayMatch(String schema);
}
