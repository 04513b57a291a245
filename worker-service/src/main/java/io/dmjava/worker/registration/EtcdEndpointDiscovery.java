package io.dmjava.worker.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Learns the etcd endpoints from any of the given masters, so a worker needs only master addresses. */
final class EtcdEndpointDiscovery {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper mapper = JsonMapper.builder().build();

    /** The endpoints from the first master that answers, or empty when none does (with each failure in {@code why}). */
    Optional<List<String>> discover(List<String> masters, List<String> why) {
        for (String master : masters) {
            URI uri = URI.create("http://" + master + "/internal/v1/etcd/endpoints");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    why.add(master + " answered " + r.statusCode());
                    continue;
                }
                List<String> out = new ArrayList<>();
                JsonNode eps = mapper.readTree(r.body()).path("endpoints");
                eps.forEach(n -> out.add(n.asString()));
                if (!out.isEmpty()) {
                    return Optional.of(out);
                }
                why.add(master + " listed no etcd endpoints");
            } catch (IOException | JacksonException e) {
                why.add(master + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }
}
