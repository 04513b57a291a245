package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * DM's body for {@code PUT .../schemas/{db}/{table}}: the CREATE TABLE the sync unit should use for the table from
 * its checkpoint on. {@code flush} and {@code sync} are accepted for DM compatibility: the structure is always
 * saved in the checkpoint, and there is no optimistic shard coordinator to tell.
 *
 * @param sqlContent a CREATE TABLE statement (its table name is replaced by the one in the path)
 * @param flush      accepted, always true here
 * @param sync       accepted, ignored
 */
public record SetTableStructureRequest(@JsonProperty("sql_content") String sqlContent, @JsonProperty("flush") Boolean flush,
                                       @JsonProperty("sync") Boolean sync) {
}
