package io.dmjava.model.shardddl;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dmjava.model.task.TableName;
import java.util.List;
import java.util.Objects;

/**
 * What one source tells the leader when its sync unit reaches a DDL of a merged (sharded) table in pessimistic
 * shard mode: "this source is at this DDL and waits" ({@code /dm/shardddl/pessimism/info/{task}/{source}}, DM's
 * {@code pessimism.Info}). The source's stream stays blocked until the leader answers with a
 * {@link PessimismOperation}.
 *
 * @param task     the task
 * @param source   the source whose sync unit waits
 * @param target   the downstream table the sharded tables are merged into; with the task it names the lock
 * @param ddls     the statements as they would run downstream (routed to {@code target}); every source of the
 *                 lock must send the same ones
 * @param binlogPos where the DDL ends in this source's binlog ({@code file:pos}), for people reading the status
 */
public record PessimismInfo(
        @JsonProperty("task") String task,
        @JsonProperty("source") String source,
        @JsonProperty("target") TableName target,
        @JsonProperty("ddls") List<String> ddls,
        @JsonProperty("binlog_pos") String binlogPos) {

    public PessimismInfo {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        ddls = List.copyOf(ddls);
    }

    /** The lock this info joins: DM's id format, {@code task-`schema`.`table`}. */
    public String lockId() {
        return lockId(task, target);
    }

    public static String lockId(String task, TableName target) {
        return task + "-`" + target.schema() + "`.`" + target.table() + "`";
    }
}
