package io.dmjava.master.api;

import io.dmjava.api.model.ListResponse;
import io.dmjava.master.task.BinlogOperators;
import io.dmjava.model.task.BinlogOperator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/tasks/{task}/sources/{source}/binlog}: dmctl's {@code binlog skip|replace|list|revert} as REST.
 * POST {@code {op: skip|replace, binlog_pos?, sqls?}} stores an operator for one DDL event, GET lists them,
 * DELETE {@code ?binlog_pos=} removes one before it is used.
 */
@RestController
@RequestMapping("/api/v1/tasks/{taskName}/sources/{sourceName}/binlog")
public class BinlogOperatorController {
    private final BinlogOperators operators;

    public BinlogOperatorController(BinlogOperators operators) {
        this.operators = operators;
    }

    @GetMapping
    public ListResponse<BinlogOperator> list(@PathVariable String taskName, @PathVariable String sourceName) {
        return ListResponse.of(operators.list(taskName, sourceName));
    }

    @PostMapping
    public ResponseEntity<BinlogOperator> add(@PathVariable String taskName, @PathVariable String sourceName,
                                              @RequestBody(required = false) BinlogOperator op) {
        return ResponseEntity.status(HttpStatus.CREATED).body(operators.add(taskName, sourceName, op));
    }

    @DeleteMapping
    public ResponseEntity<Void> remove(@PathVariable String taskName, @PathVariable String sourceName,
                                       @RequestParam(name = "binlog_pos") String binlogPos) {
        operators.remove(taskName, sourceName, binlogPos);
        return ResponseEntity.noContent().build();
    }
}
