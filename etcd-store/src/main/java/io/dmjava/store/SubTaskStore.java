package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.STAGE_SUBTASK;
import static io.dmjava.model.etcd.EtcdKeys.SUBTASK_CONFIG;

import io.dmjava.model.cluster.Stage;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.task.SubTaskConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Subtask configs ({@code /dm/subtask/config/{source}/{task}}) and their expected stages
 * ({@code /dm/stage/subtask/{source}/{task}}), which the master writes and the bound worker follows.
 */
public final class SubTaskStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public SubTaskStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    /** Subtasks of one source by task name. */
    public Map<String, SubTaskConfig> configs(String source) {
        Map<String, SubTaskConfig> out = new LinkedHashMap<>();
        kv.getPrefix(SUBTASK_CONFIG.rangePrefix(source)).values().forEach(v -> {
            SubTaskConfig s = codec.decode(v, SubTaskConfig.class);
            out.put(s.taskName(), s);
        });
        return out;
    }

    /** The sources of every task that has subtasks (task name -> source names), from the config keys alone. */
    public Map<String, Set<String>> sourcesByTask() {
        Map<String, Set<String>> out = new TreeMap<>();
        kv.getPrefix(SUBTASK_CONFIG.rangePrefix()).keySet().forEach(k -> {
            List<String> seg = SUBTASK_CONFIG.segments(k);
            if (seg.size() == 2) {
                out.computeIfAbsent(seg.get(1), t -> new TreeSet<>()).add(seg.get(0));
            }
        });
        return out;
    }

    public Optional<SubTaskConfig> config(String source, String task) {
        return kv.get(SUBTASK_CONFIG.key(source, task)).map(b -> codec.decode(b, SubTaskConfig.class));
    }

    /** Expected stages of one source's subtasks by task name. */
    public Map<String, Stage> stages(String source) {
        Map<String, Stage> out = new LinkedHashMap<>();
        kv.getPrefix(STAGE_SUBTASK.rangePrefix(source)).forEach((k, v) ->
                out.put(STAGE_SUBTASK.lastSegment(k), Stage.valueOf(new String(v, StandardCharsets.UTF_8))));
        return out;
    }

    /** An expected stage and the etcd revision it was written at: a rewrite of the same stage is a new command. */
    public record StageCommand(Stage stage, long revision) {
    }

    /** Expected stages of one source's subtasks, with their revisions, by task name. */
    public Map<String, StageCommand> stageCommands(String source) {
        Map<String, StageCommand> out = new LinkedHashMap<>();
        kv.getPrefixEntries(STAGE_SUBTASK.rangePrefix(source)).forEach((k, e) -> out.put(STAGE_SUBTASK.lastSegment(k),
                new StageCommand(Stage.valueOf(new String(e.value(), StandardCharsets.UTF_8)), e.modRevision())));
        return out;
    }

    public Optional<Stage> stage(String source, String task) {
        return kv.get(STAGE_SUBTASK.key(source, task)).map(b -> Stage.valueOf(new String(b, StandardCharsets.UTF_8)));
    }

    public String configKey(String source, String task) {
        return SUBTASK_CONFIG.key(source, task);
    }

    public String stageKey(String source, String task) {
        return STAGE_SUBTASK.key(source, task);
    }

    public byte[] encode(SubTaskConfig s) {
        return codec.encode(s);
    }

    public static byte[] encode(Stage stage) {
        return stage.name().getBytes(StandardCharsets.UTF_8);
    }

    /** The prefixes a worker watches to follow one source's subtasks. */
    public String configPrefix(String source) {
        return SUBTASK_CONFIG.rangePrefix(source);
    }

    public String stagePrefix(String source) {
        return STAGE_SUBTASK.rangePrefix(source);
    }
}
