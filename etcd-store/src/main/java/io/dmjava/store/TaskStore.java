package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.TASK_CONFIG;

import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.task.TaskConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Task configs ({@code /dm/task/config/{task}}), target password encrypted. */
public final class TaskStore {
    private final EtcdKv kv;
    private final JsonCodec codec;

    public TaskStore(EtcdKv kv, JsonCodec codec) {
        this.kv = kv;
        this.codec = codec;
    }

    public Optional<TaskConfig> get(String name) {
        return kv.get(TASK_CONFIG.key(name)).map(b -> codec.decode(b, TaskConfig.class));
    }

    public Map<String, TaskConfig> all() {
        Map<String, TaskConfig> out = new LinkedHashMap<>();
        kv.getPrefix(TASK_CONFIG.rangePrefix()).values().forEach(v -> {
            TaskConfig t = codec.decode(v, TaskConfig.class);
            out.put(t.name(), t);
        });
        return out;
    }

    public String key(String name) {
        return TASK_CONFIG.key(name);
    }

    public byte[] encode(TaskConfig t) {
        return codec.encode(t);
    }
}
