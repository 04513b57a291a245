package io.dmjava.model.cluster;

import java.util.Objects;

/** The relation worker -> source, stored under {@code /dm/bound/{worker}} and {@code /dm/last-bound/{worker}}. */
public record SourceBound(String source, String worker) {
    public SourceBound {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(worker, "worker");
    }
}
