package io.dmjava.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** YAML and JSON as Jackson trees. */
final class Yaml {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private Yaml() {
    }

    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid YAML: " + e.getOriginalMessage() + "\n" + yaml, e);
        }
    }

    static JsonNode parse(Path file) {
        return parse(RepoFiles.read(file));
    }

    static JsonNode parseJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The alert rules ({@code groups[].rules[]} with an {@code alert}) of a Prometheus rule file. */
    static List<JsonNode> alerts(Path ruleFile) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : parse(ruleFile).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.hasNonNull("alert")) {
                    out.add(rule);
                }
            }
        }
        return out;
    }
}
