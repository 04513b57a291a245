package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.model.source.SourceConfig;
import java.util.List;

/** A source as the API answers it (DM's {@code Source}): config with secrets masked, tasks using it, status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceView(
        @JsonProperty("source_name") String sourceName,
        String host,
        Integer port,
        String user,
        String password,
        @JsonProperty("enable_gtid") Boolean enableGtid,
        Boolean enable,
        String flavor,
        SourceConfig.Security security,
        SourceConfig.Purge purge,
        @JsonProperty("relay_config") SourceConfig.RelayConfig relayConfig,
        @JsonProperty("task_name_list") List<String> taskNameList,
        @JsonProperty("status_list") List<SourceStatus> statusList) {

    /** The view of a stored config: always masked, whatever the caller passes in. */
    public static SourceView of(SourceConfig stored, List<String> tasks, List<SourceStatus> status) {
        SourceConfig m = stored.masked();
        return new SourceView(m.sourceName(), m.host(), m.port(), m.user(), m.password(), m.enableGtid(), m.enable(),
                m.flavor(), m.security(), m.purge(), m.relayConfig(), tasks, status);
    }
}
