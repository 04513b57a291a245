package io.dmjava.store;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Builds jetcd clients with the settings every process of the cluster uses. */
public final class EtcdClients {
    private EtcdClients() {
    }

    /**
     * A client over the given endpoints ({@code http://host:port}, comma separated or listed). gRPC
     * keepalives make a dead member noticed within seconds, so calls move to a live one.
     */
    public static Client connect(List<String> endpoints) {
        return Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .keepaliveTime(Duration.ofSeconds(2))
                .keepaliveTimeout(Duration.ofSeconds(2))
                .keepaliveWithoutCalls(true)
                .connectTimeout(Duration.ofSeconds(3))
                .retryMaxDuration(Duration.ofSeconds(5))
                .build();
    }

    public static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
