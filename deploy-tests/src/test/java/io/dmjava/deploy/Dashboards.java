package io.dmjava.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards of grafana/dashboards and the PromQL in them. */
final class Dashboards {
    /** One query: where it is (dashboard / panel / ref) and its text. */
    record Query(String where, String expr, boolean templateVariable) {
    }

    private Dashboards() {
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(RepoFiles.dashboards())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(Path file) {
        return Yaml.parseJson(RepoFiles.read(file));
    }

    /** Every panel (rows' nested panels included) of a dashboard. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** Every panel target's expr and every query variable's query, of every dashboard. */
    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path f : files()) {
            JsonNode d = parse(f);
            String name = f.getFileName().toString();
            for (JsonNode p : panels(d)) {
                for (JsonNode t : p.path("targets")) {
                    if (t.hasNonNull("expr")) {
                        out.add(new Query(name + " / " + p.path("title").asText() + " / " + t.path("refId").asText(),
                                t.path("expr").asText(), false));
                    }
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    JsonNode q = v.path("query");
                    String text = q.isObject() ? q.path("query").asText() : q.asText();
                    out.add(new Query(name + " / variable " + v.path("name").asText(), text, true));
                }
            }
        }
        return out;
    }

    /** A panel expression with Grafana's variables replaced, so Prometheus tools can parse it. */
    static String substituteVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?", ".*");
    }
}
