package io.dmjava.master.task;

import io.dmjava.api.model.SubTaskStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a worker's internal API ({@code /internal/v1/subtasks/{task}...}): live status, forwarded requests. */
public final class WorkerClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /**
     * The status of the run that follows the given command (subtask generation and stage revision), or
     * empty when the worker has not started that run yet, or with the reason in {@code error[0]} when
     * it does not answer. Asking for a specific run keeps an earlier run's "Finished" from being shown
     * right after a restart.
     */
    public Optional<SubTaskStatus> subtaskStatus(String workerAddr, String task, long generation, long revision, String[] error) {
        URI uri = URI.create("http://" + workerAddr + "/internal/v1/subtasks/" + URLEncoder.encode(task, StandardCharsets.UTF_8).replace("+", "%20")
                + "?generation=" + generation + "&revision=" + revision);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                error[0] = "worker at " + workerAddr + " answered " + r.statusCode();
                return Optional.empty();
            }
            return Optional.of(mapper.readValue(r.body(), SubTaskStatus.class));
        } catch (IOException | JacksonException e) {
            error[0] = "worker at " + workerAddr + " did not answer: " + e.getMessage();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error[0] = "interrupted";
            return Optional.empty();
        }
    }

    /** A worker's answer, passed on to the user as it is. */
    public record Answer(int status, String body) {
    }

    /**
     * Sends a JSON request to a worker's internal API ({@code path} starts with {@code /internal/}).
     *
     * @throws IOException when the worker does not answer
     */
    public Answer send(String workerAddr, String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + workerAddr + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").method(method, body).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** One path segment, percent-encoded. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
