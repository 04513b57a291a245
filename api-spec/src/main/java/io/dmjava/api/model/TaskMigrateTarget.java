package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One upstream table of a source and the downstream table it is migrated to. */
public record TaskMigrateTarget(@JsonProperty("source_schema") String sourceSchema,
                                @JsonProperty("source_table") String sourceTable,
                                @JsonProperty("target_schema") String targetSchema,
                                @JsonProperty("target_table") String targetTable) {
}
