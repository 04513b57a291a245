package io.dmjava.master.scheduler;

import io.dmjava.model.cluster.WorkerStage;

/** A worker as the scheduler sees it; {@code source} is empty unless bound or relaying. */
public record WorkerStatus(String name, String addr, WorkerStage stage, String source) {
}
