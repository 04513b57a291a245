package io.dmjava.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few Kubernetes API answers the chart's {@code lookup} needs, on a loopback port, so the chart renders
 * in tests exactly as it does against a cluster. helm-java's template runs Helm's install in dry-run mode
 * with lookups enabled (unlike the {@code helm template} CLI), so {@code lookup} asks the API server named
 * by $KUBECONFIG; the pom points KUBECONFIG at a file this class writes. It knows one resource kind,
 * Secrets, and holds those a test puts in (an earlier install's key, say); every other lookup is 404.
 */
final class FakeKubeApi {
    private static FakeKubeApi instance;

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private FakeKubeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank() || kubeconfig.equals("/dev/null")) {
            throw new IllegalStateException("KUBECONFIG must name a file for the tests to write (the pom sets it)");
        }
        Path file = Path.of(kubeconfig);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                users:
                  - name: fake
                    user: {}
                current-context: fake
                """.formatted(server.getAddress().getPort()), StandardCharsets.UTF_8);
    }

    /** The running fake (started on first use, for the rest of the JVM). */
    static synchronized FakeKubeApi get() {
        if (instance == null) {
            try {
                instance = new FakeKubeApi();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> instance.server.stop(0)));
        }
        return instance;
    }

    /** Makes {@code lookup "v1" "Secret" namespace name} find this Secret (JSON) until removed. */
    void putSecret(String namespace, String name, String json) {
        secrets.put(namespace + "/" + name, json);
    }

    void removeSecret(String namespace, String name) {
        secrets.remove(namespace + "/" + name);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String[] p = path.split("/");
        if (path.equals("/api/v1")) {
            send(ex, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                      {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
                       "verbs":["get","list"]}]}""");
        } else if (p.length == 7 && path.startsWith("/api/v1/namespaces/") && p[5].equals("secrets")
                && secrets.containsKey(p[4] + "/" + p[6])) {
            send(ex, 200, secrets.get(p[4] + "/" + p[6]));
        } else {
            send(ex, 404, """
                    {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
                     "message":"%s not found"}""".formatted(path));
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }
}
