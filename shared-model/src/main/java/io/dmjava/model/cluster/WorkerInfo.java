package io.dmjava.model.cluster;

import java.util.Objects;

/**
 * What a worker registers under {@code /dm/worker/registered/{name}}: its name and the address
 * ({@code host:port}) its REST API answers on.
 */
public record WorkerInfo(String name, String addr) {
    public WorkerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addr, "addr");
    }
}
