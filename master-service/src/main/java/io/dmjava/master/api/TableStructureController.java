package io.dmjava.master.api;

import io.dmjava.master.task.SubTaskForwarder;
import io.dmjava.master.task.WorkerClient;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * DM's {@code /api/v1/tasks/{task}/sources/{source}/schemas[/{db}[/{table}]]}: the table structures a subtask's sync
 * unit uses (GET), and setting one while the task is paused (PUT {@code {sql_content}}). Served by the worker of
 * the source, which owns the sync checkpoint they live in.
 */
@RestController
@RequestMapping("/api/v1/tasks/{taskName}/sources/{sourceName}/schemas")
public class TableStructureController {
    private final SubTaskForwarder forwarder;

    public TableStructureController(SubTaskForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @GetMapping
    public ResponseEntity<String> schemas(@PathVariable String taskName, @PathVariable String sourceName) {
        return relay(forwarder.forward(taskName, sourceName, "GET", "/schemas", null));
    }

    @GetMapping("/{schemaName}")
    public ResponseEntity<String> tables(@PathVariable String taskName, @PathVariable String sourceName,
                                         @PathVariable String schemaName) {
        return relay(forwarder.forward(taskName, sourceName, "GET", "/schemas/" + WorkerClient.segment(schemaName), null));
    }

    @GetMapping("/{schemaName}/{tableName}")
    public ResponseEntity<String> get(@PathVariable String taskName, @PathVariable String sourceName,
                                      @PathVariable String schemaName, @PathVariable String tableName) {
        return relay(forwarder.forward(taskName, sourceName, "GET", path(schemaName, tableName), null));
    }

    @PutMapping("/{schemaName}/{tableName}")
    public ResponseEntity<String> put(@PathVariable String taskName, @PathVariable String sourceName,
                                      @PathVariable String schemaName, @PathVariable String tableName,
                                      @RequestBody(required = false) String body) {
        return relay(forwarder.forward(taskName, sourceName, "PUT", path(schemaName, tableName), body == null ? "{}" : body));
    }

    private static String path(String schema, String table) {
        return "/schemas/" + WorkerClient.segment(schema) + "/" + WorkerClient.segment(table);
    }

    private static ResponseEntity<String> relay(WorkerClient.Answer a) {
        return ResponseEntity.status(a.status()).contentType(MediaType.APPLICATION_JSON).body(a.body());
    }
}
