package io.dmjava.model.cluster;

import java.util.Locale;

/**
 * A worker's stage as the scheduler sees it. {@code offline}: its keepalive has expired;
 * {@code free}: alive and serving no source; {@code bound}: serving a source; {@code relay}: pulling a
 * source's relay log without a bound.
 */
public enum WorkerStage {
    OFFLINE, FREE, BOUND, RELAY;

    /** The lower-case name used in the REST API ({@code bound_stage}) and metrics. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
