package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The structure the sync unit of a subtask uses for one upstream table (DM's {@code GET .../schemas/{db}/{table}}):
 * the CREATE TABLE it decodes that table's row events with, as of its checkpoint.
 *
 * @param schemaName      upstream database
 * @param tableName       upstream table
 * @param schemaCreateSql its CREATE TABLE statement
 */
public record TableStructure(@JsonProperty("schema_name") String schemaName, @JsonProperty("table_name") String tableName,
                             @JsonProperty("schema_create_sql") String schemaCreateSql) {
}
