package io.dmjava.worker.api;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.worker.subtask.SubTaskSupervisor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The worker's internal API: the masters ask it for its subtasks' live status. */
@RestController
public class SubTaskController {
    private final SubTaskSupervisor supervisor;

    public SubTaskController(SubTaskSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @GetMapping("/internal/v1/subtasks/{task}")
    public ResponseEntity<?> status(@PathVariable String task,
                                    @RequestParam(name = "generation", defaultValue = "0") long generation,
                                    @RequestParam(name = "revision", defaultValue = "0") long revision) {
        return supervisor.status(task, generation, revision).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(404).body(new ErrorWithMessage(41001,
                        "subtask of task '" + task + "' is not running on this worker")));
    }

}
