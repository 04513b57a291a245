package io.dmjava.model.cluster;

import java.util.Objects;

/**
 * The value a master proposes when it campaigns; whoever holds the election key is the leader and
 * followers forward API requests to {@code addr}.
 */
public record LeaderInfo(String name, String addr) {
    public LeaderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addr, "addr");
    }
}
