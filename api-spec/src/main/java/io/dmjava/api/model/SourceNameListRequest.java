package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code stop}, {@code pause}, {@code resume} of a task: limited to some sources, or all when omitted. */
public record SourceNameListRequest(@JsonProperty("source_name_list") List<String> sourceNameList) {
}
