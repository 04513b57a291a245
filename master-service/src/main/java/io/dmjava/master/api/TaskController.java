package io.dmjava.master.api;

import io.dmjava.api.model.ConverterTaskRequest;
import io.dmjava.api.model.CreateTaskRequest;
import io.dmjava.api.model.ListResponse;
import io.dmjava.api.model.SourceNameListRequest;
import io.dmjava.api.model.StartTaskRequest;
import io.dmjava.api.model.StartTaskResponse;
import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.api.model.TaskMigrateTarget;
import io.dmjava.api.model.TaskView;
import io.dmjava.master.task.TaskRunControl;
import io.dmjava.master.task.TaskService;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskValidator;
import io.dmjava.model.task.TaskYamlConverter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tasks}: DM's task routes, plus pause/resume (dmctl's pause-task / resume-task). */
@RestController
@RequestMapping("/api/v1/tasks")
public class TaskController {
    private final TaskService tasks;
    private final TaskRunControl control;
    private final TaskYamlConverter converter = new TaskYamlConverter();

    public TaskController(TaskService tasks, TaskRunControl control) {
        this.tasks = tasks;
        this.control = control;
    }

    @PostMapping
    public ResponseEntity<TaskView> create(@RequestBody CreateTaskRequest req) {
        return ResponseEntity.status(HttpStatus.CREATED).body(TaskView.of(tasks.create(task(req)), null));
    }

    @GetMapping
    public ListResponse<TaskView> list(@RequestParam(name = "with_status", defaultValue = "false") boolean withStatus,
                                       @RequestParam(name = "stage", required = false) String stage,
                                       @RequestParam(name = "source_name_list", required = false) List<String> sourceNames) {
        List<TaskView> out = new ArrayList<>();
        for (TaskConfig t : tasks.all()) {
            if (sourceNames != null && !sourceNames.isEmpty() && t.sourceNames().stream().noneMatch(sourceNames::contains)) {
                continue;
            }
            List<SubTaskStatus> status = withStatus || stage != null ? control.status(t.name(), null) : null;
            if (stage != null && status.stream().noneMatch(s -> stage.equalsIgnoreCase(s.stage()))) {
                continue;
            }
            out.add(TaskView.of(t, withStatus ? status : null));
        }
        return ListResponse.of(out);
    }

    @GetMapping("/{taskName}")
    public TaskView get(@PathVariable String taskName,
                        @RequestParam(name = "with_status", defaultValue = "false") boolean withStatus) {
        return TaskView.of(tasks.stored(taskName), withStatus ? control.status(taskName, null) : null);
    }

    @PutMapping("/{taskName}")
    public TaskView update(@PathVariable String taskName, @RequestBody CreateTaskRequest req) {
        TaskConfig requested = task(req);
        control.requireIdle(taskName, "updated");
        return TaskView.of(tasks.update(taskName, requested), null);
    }

    @DeleteMapping("/{taskName}")
    public ResponseEntity<Void> delete(@PathVariable String taskName,
                                       @RequestParam(name = "force", defaultValue = "false") boolean force) {
        if (!force) {
            control.requireIdle(taskName, "deleted");
        }
        tasks.delete(taskName);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{taskName}/start")
    public StartTaskResponse start(@PathVariable String taskName, @RequestBody(required = false) StartTaskRequest req) {
        boolean removeMeta = req != null && Boolean.TRUE.equals(req.removeMeta());
        if (req == null) {
            return new StartTaskResponse(control.start(taskName, false, null));
        }
        return new StartTaskResponse(control.start(taskName, removeMeta, req.sourceNameList(), req.startTime(),
                req.safeModeTimeDuration()));
    }

    @PostMapping("/{taskName}/stop")
    public ResponseEntity<Void> stop(@PathVariable String taskName, @RequestBody(required = false) SourceNameListRequest req) {
        control.stop(taskName, req == null ? null : req.sourceNameList());
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{taskName}/pause")
    public ResponseEntity<Void> pause(@PathVariable String taskName, @RequestBody(required = false) SourceNameListRequest req) {
        control.pause(taskName, req == null ? null : req.sourceNameList());
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{taskName}/resume")
    public ResponseEntity<Void> resume(@PathVariable String taskName, @RequestBody(required = false) SourceNameListRequest req) {
        control.resume(taskName, req == null ? null : req.sourceNameList());
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{taskName}/status")
    public ListResponse<SubTaskStatus> status(@PathVariable String taskName,
                                              @RequestParam(name = "source_name_list", required = false) List<String> sourceNames) {
        return ListResponse.of(control.status(taskName, sourceNames));
    }

    @GetMapping("/{taskName}/sources/{sourceName}/migrate_targets")
    public ListResponse<TaskMigrateTarget> migrateTargets(@PathVariable String taskName, @PathVariable String sourceName,
                                                          @RequestParam(name = "schema_pattern", required = false) String schemaPattern,
                                                          @RequestParam(name = "table_pattern", required = false) String tablePattern) {
        return ListResponse.of(tasks.migrateTargets(taskName, sourceName, schemaPattern, tablePattern));
    }

    /** DM task YAML <-> task JSON; the answer carries both forms (passwords masked in the JSON). */
    @PostMapping("/converters")
    public ResponseEntity<ConverterTaskRequest> convert(@RequestBody ConverterTaskRequest req) {
        TaskConfig task;
        if (req != null && req.taskConfigFile() != null && !req.taskConfigFile().isBlank()) {
            task = converter.fromYaml(req.taskConfigFile());
        } else if (req != null && req.task() != null) {
            task = req.task();
        } else {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "task / task_config_file", "give one of them");
        }
        TaskConfig withDefaults = TaskValidator.applyDefaults(task);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new ConverterTaskRequest(withDefaults.masked(), converter.toYaml(withDefaults)));
    }

    private static TaskConfig task(CreateTaskRequest req) {
        if (req == null || req.task() == null) {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "task", "missing: send {\"task\": {...}}");
        }
        return req.task();
    }
}
