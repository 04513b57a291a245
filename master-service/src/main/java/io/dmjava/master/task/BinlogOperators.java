package io.dmjava.master.task;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.store.BinlogOperatorStore;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DM's {@code binlog skip|replace|list|revert} for one subtask: operators are validated here, stored in etcd and
 * picked up by the worker's sync unit when it reaches their DDL event (typically after a resume).
 */
public final class BinlogOperators {
    private static final Logger log = LoggerFactory.getLogger(BinlogOperators.class);
    /**
     * The position in the message of an error that paused a subtask at a DDL: 51104 ({@code DDL failed downstream at
     * binlog_pos mysql-bin.000003:4567: ...}) and the shard DDL errors 54001-54003.
     */
    private static final Pattern FAILED_AT = Pattern.compile(
            "^(?:DDL failed downstream|.*?cannot (?:coordinate|take|replicate) the DDL.*?) at binlog_pos ([^\\s:]+:\\d+)");

    private final TaskService tasks;
    private final TaskRunControl control;
    private final BinlogOperatorStore store;

    public BinlogOperators(TaskService tasks, TaskRunControl control, BinlogOperatorStore store) {
        this.tasks = tasks;
        this.control = control;
        this.store = store;
    }

    public List<BinlogOperator> list(String task, String source) {
        requireSubtask(task, source);
        return store.list(task, source);
    }

    /**
     * Stores an operator. Without {@code binlog_pos} it applies to the DDL the subtask is paused on (errors 51104,
     * 54001-54003);
     * a subtask not paused on one needs an explicit position.
     */
    public BinlogOperator add(String task, String source, BinlogOperator requested) {
        requireSubtask(task, source);
        if (requested == null) {
            throw new DmException(ErrorCode.BINLOG_OPERATOR_INVALID, task, source, "missing body: send {\"op\": \"skip\"}");
        }
        String pos = requested.binlogPos();
        if (pos == null || pos.isBlank()) {
            pos = failedDdlPosition(task, source);
        }
        BinlogOperator op = new BinlogOperator(requested.op(), pos.strip(), requested.sqls());
        List<String> problems = op.problems();
        if (!problems.isEmpty()) {
            throw new DmException(ErrorCode.BINLOG_OPERATOR_INVALID, task, source, String.join("; ", problems));
        }
        store.put(task, source, op);
        log.info("binlog operator for {}/{}: {} at {}{}", task, source, op.op(), op.binlogPos(),
                op.sqls().isEmpty() ? "" : " with " + op.sqls().size() + " statement(s)");
        return op;
    }

    /** Removes the operator at {@code binlogPos} (DM's {@code binlog revert}). */
    public BinlogOperator remove(String task, String source, String binlogPos) {
        requireSubtask(task, source);
        BinlogOperator.Position p = BinlogOperator.parsePosition(binlogPos);
        if (p == null) {
            throw new DmException(ErrorCode.BINLOG_OPERATOR_INVALID, task, source,
                    "binlog_pos: '" + binlogPos + "' is not 'binlog-file:offset' (e.g. mysql-bin.000003:4567)");
        }
        return store.remove(task, source, p)
                .orElseThrow(() -> new DmException(ErrorCode.BINLOG_OPERATOR_NOT_FOUND, task, source, p));
    }

    private void requireSubtask(String task, String source) {
        TaskConfig t = tasks.stored(task);
        if (!t.sourceNames().contains(source)) {
            throw new DmException(ErrorCode.SOURCE_NOT_FOUND, source + "' in task '" + task);
        }
    }

    private String failedDdlPosition(String task, String source) {
        List<SubTaskStatus> status = control.status(task, List.of(source));
        String error = status.isEmpty() ? null : status.get(0).errorMsg();
        Matcher m = error == null ? null : FAILED_AT.matcher(error);
        if (m == null || !m.find()) {
            String now = status.isEmpty() ? "no status" : "it is " + status.get(0).stage()
                    + (error == null ? "" : ": " + abbreviate(error));
            throw new DmException(ErrorCode.BINLOG_POSITION_NEEDED, task, source, now);
        }
        return m.group(1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
