package io.dmjava.worker.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's settings ({@code dm.worker.*}).
 *
 * @param name              unique worker name (default {@code worker-<hostname>-<server.port>}, stable across restarts)
 * @param advertiseAddr     {@code host:port} the masters use to reach this worker (default {@code 127.0.0.1:<server.port>})
 * @param join              master addresses, comma separated (default 127.0.0.1:8261); the etcd endpoints
 *                          are learned from them unless {@code dm.etcd.endpoints} is set
 * @param keepaliveTtl      TTL of the keepalive lease: a dead worker shows offline after about this long (default 60s)
 * @param relayKeepaliveTtl TTL used while the worker runs a relay (default 1800s)
 * @param dataDir           where relay logs and dump files go (default {@code ./<name>})
 * @param etcdTimeout       timeout of one etcd call (default 5s)
 * @param retryInterval     pause between attempts to reach the cluster (default 1s)
 */
@ConfigurationProperties("dm.worker")
public record WorkerProperties(
        String name,
        String advertiseAddr,
        @DefaultValue("127.0.0.1:8261") String join,
        @DefaultValue("60s") Duration keepaliveTtl,
        @DefaultValue("1800s") Duration relayKeepaliveTtl,
        String dataDir,
        @DefaultValue("5s") Duration etcdTimeout,
        @DefaultValue("1s") Duration retryInterval) {

    public WorkerProperties {
        if (name != null && !name.isBlank() && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("dm.worker.name '" + name
                    + "' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (keepaliveTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("dm.worker.keepalive-ttl must be at least 1s, got " + keepaliveTtl);
        }
    }

    public String nameOr(String hostname, int port) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        String host = hostname.replaceAll("[^A-Za-z0-9._-]", "-");
        return "worker-" + host + "-" + port;
    }

    public String advertiseAddrOr(int port) {
        return advertiseAddr == null || advertiseAddr.isBlank() ? "127.0.0.1:" + port : advertiseAddr;
    }

    public List<String> joinList() {
        return Arrays.stream(join.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
