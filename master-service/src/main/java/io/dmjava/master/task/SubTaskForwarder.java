package io.dmjava.master.task;

import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.master.scheduler.WorkerStatus;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import java.io.IOException;

/**
 * Passes a request about one subtask's state (e.g. its tracked table structures) to the worker that serves the
 * subtask's source, and its answer back as it is.
 */
public final class SubTaskForwarder {
    private final TaskService tasks;
    private final Scheduler scheduler;
    private final WorkerClient workers = new WorkerClient();

    public SubTaskForwarder(TaskService tasks, Scheduler scheduler) {
        this.tasks = tasks;
        this.scheduler = scheduler;
    }

    /**
     * @param subPath what follows {@code /internal/v1/subtasks/{task}}, already percent-encoded
     */
    public WorkerClient.Answer forward(String task, String source, String method, String subPath, String jsonBody) {
        TaskConfig t = tasks.stored(task);
        if (!t.sourceNames().contains(source)) {
            throw new DmException(ErrorCode.SOURCE_NOT_FOUND, source + "' in task '" + task);
        }
        String worker = scheduler.workerOf(source).orElseThrow(() ->
                new DmException(ErrorCode.SUBTASK_WORKER_UNAVAILABLE, task, source, "no worker is bound to the source"));
        String addr = scheduler.workers().stream().filter(w -> w.name().equals(worker)).map(WorkerStatus::addr).findFirst()
                .orElseThrow(() -> new DmException(ErrorCode.SUBTASK_WORKER_UNAVAILABLE, task, source,
                        "worker '" + worker + "' is not registered"));
        try {
            return workers.send(addr, method, "/internal/v1/subtasks/" + WorkerClient.segment(task) + subPath, jsonBody);
        } catch (IOException e) {
            throw new DmException(ErrorCode.SUBTASK_WORKER_UNAVAILABLE, task, source,
                    "worker '" + worker + "' at " + addr + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(ErrorCode.SUBTASK_WORKER_UNAVAILABLE, task, source, "interrupted");
        }
    }
}
