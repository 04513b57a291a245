package io.dmjava.model.source;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the precheck learned about a source's server, kept beside its config
 * ({@code /dm/source/meta/{source}}) so that two sources pointing at the same server (same server_id)
 * are refused.
 */
public record SourceMeta(@JsonProperty("server_id") long serverId, String flavor, String version) {
}
