package io.dmjava.worker.api;

import io.dmjava.api.model.SetTableStructureRequest;
import io.dmjava.api.model.TableStructure;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.subtask.SubTaskSupervisor;
import io.dmjava.worker.sync.TableStructures;
import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The worker's half of DM's {@code .../schemas} routes: the masters forward them to the worker serving the subtask. */
@RestController
@RequestMapping("/internal/v1/subtasks/{task}/schemas")
public class TableStructureController {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final SubTaskSupervisor supervisor;

    public TableStructureController(SubTaskSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @GetMapping
    public List<String> schemas(@PathVariable String task) throws InterruptedException {
        return structures(task, false).schemas();
    }

    @GetMapping("/{schema}")
    public List<String> tables(@PathVariable String task, @PathVariable String schema) throws InterruptedException {
        return structures(task, false).tables(schema);
    }

    @GetMapping("/{schema}/{table}")
    public TableStructure get(@PathVariable String task, @PathVariable String schema, @PathVariable String table) throws InterruptedException {
        return structures(task, false).get(schema, table);
    }

    @PutMapping("/{schema}/{table}")
    public TableStructure put(@PathVariable String task, @PathVariable String schema, @PathVariable String table,
                              @RequestBody(required = false) SetTableStructureRequest req) throws InterruptedException {
        return structures(task, true).put(schema, table, req == null ? null : req.sqlContent());
    }

    private TableStructures structures(String task, boolean change) throws InterruptedException {
        // a change waits for a subtask being paused to let go of its checkpoint; a read needs no wait
        SubTaskSupervisor.SubTaskHandle h = supervisor.subtask(task, change ? STOP_WAIT : Duration.ZERO).orElseThrow(() ->
                new DmException(ErrorCode.SUBTASK_WORKER_UNAVAILABLE, task, "?", "this worker does not serve it"));
        if (change && h.active()) {
            throw new DmException(ErrorCode.TABLE_STRUCTURE_BUSY, task, h.context().sourceName());
        }
        return new TableStructures(h.context());
    }
}
