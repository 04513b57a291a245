package io.dmjava.master.forward;

import io.dmjava.master.api.ErrorResponses;
import io.dmjava.master.election.Leadership;
import io.dmjava.model.cluster.LeaderInfo;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes every master an entry point: on a follower, each {@code /api/v1/**} request is replayed
 * against the leader (method, path, query, body, content type) and the leader's answer (status,
 * content type, body) is passed back unchanged. The OpenAPI document and Swagger UI are served
 * locally because every master has the same ones.
 */
public final class LeaderForwardingFilter extends OncePerRequestFilter {
    /** Set on forwarded requests: a master that receives one never forwards it again (no loops). */
    public static final String FORWARDED_BY = "X-DM-Forwarded-By";
    private static final Logger log = LoggerFactory.getLogger(LeaderForwardingFilter.class);
    private static final List<String> LOCAL_PATHS = List.of("/api/v1/dm.json", "/api/v1/docs", "/api/v1/swagger-ui");
    private static final List<String> COPIED_REQUEST_HEADERS = List.of("Content-Type", "Accept", "Accept-Language");
    private static final List<String> COPIED_RESPONSE_HEADERS = List.of("Content-Type", "Location", "Retry-After");

    private final Leadership leadership;
    private final HttpClient http;
    private final Duration timeout;
    private final ErrorResponses errors;

    public LeaderForwardingFilter(Leadership leadership, HttpClient http, Duration timeout, ErrorResponses errors) {
        this.leadership = leadership;
        this.http = http;
        this.timeout = timeout;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/v1/") || LOCAL_PATHS.stream().anyMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (leadership.isLeader()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<LeaderInfo> leader = leadership.leader();
        if (leader.isEmpty() || leader.get().name().equals(leadership.self())
                || request.getHeader(FORWARDED_BY) != null) {
            // A forwarded request reaching a non-leader means leadership moved mid-flight: let the
            // caller retry rather than bounce the request around.
            errors.write(response, new DmException(ErrorCode.NO_LEADER));
            return;
        }
        forward(leader.get(), request, response);
    }

    private void forward(LeaderInfo leader, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String query = request.getQueryString();
        URI uri = URI.create("http://" + leader.addr() + request.getRequestURI() + (query == null ? "" : "?" + query));
        byte[] body = request.getInputStream().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(FORWARDED_BY, leadership.self())
                .method(request.getMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : COPIED_REQUEST_HEADERS) {
            String v = request.getHeader(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.warn("forwarding {} {} to leader {} failed: {}", request.getMethod(), uri, leader.name(), e.toString());
            errors.write(response, new DmException(ErrorCode.LEADER_UNREACHABLE, e, leader.name(), leader.addr(), e.toString()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.write(response, new DmException(ErrorCode.LEADER_UNREACHABLE, e, leader.name(), leader.addr(), "interrupted"));
            return;
        }
        response.setStatus(answer.statusCode());
        for (String h : COPIED_RESPONSE_HEADERS) {
            answer.headers().firstValue(h).ifPresent(v -> response.setHeader(h, v));
        }
        response.getOutputStream().write(answer.body());
    }
}
