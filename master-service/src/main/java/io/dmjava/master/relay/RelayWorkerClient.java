package io.dmjava.master.relay;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a worker's internal relay routes ({@code /internal/v1/relay/{source}}). */
final class RelayWorkerClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The relay's status on the worker; the reason as the error message when it has none or does not answer. */
    RelayStatus status(String workerAddr, String source) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(workerAddr, source)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return mapper.readValue(r.body(), RelayStatus.class);
            }
            return unknown(workerAddr, mapper.readValue(r.body(), ErrorWithMessage.class).errorMsg());
        } catch (IOException | JacksonException e) {
            return unknown(workerAddr, "worker at " + workerAddr + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(workerAddr, "interrupted");
        }
    }

    /** Asks the worker to purge; a refusal is raised with the worker's message. */
    PurgeRelayResult purge(String workerAddr, String source, String before) {
        String body = mapper.writeValueAsString(Map.of("relay_binlog_name", before));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri(workerAddr, source) + "/purge"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return mapper.readValue(r.body(), PurgeRelayResult.class);
            }
            ErrorWithMessage e = mapper.readValue(r.body(), ErrorWithMessage.class);
            throw new DmException(ErrorCode.RELAY_PURGE_REFUSED, source, before, "worker at " + workerAddr + " answered "
                    + e.errorCode() + ": " + e.errorMsg());
        } catch (IOException | JacksonException e) {
            throw new DmException(ErrorCode.RELAY_PURGE_REFUSED, e, source, before, "worker at " + workerAddr
                    + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(ErrorCode.RELAY_PURGE_REFUSED, e, source, before, "interrupted");
        }
    }

    private static URI uri(String workerAddr, String source) {
        return URI.create("http://" + workerAddr + "/internal/v1/relay/"
                + URLEncoder.encode(source, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static RelayStatus unknown(String workerAddr, String why) {
        return new RelayStatus("", "", "", "", "", false, "", why);
    }
}
