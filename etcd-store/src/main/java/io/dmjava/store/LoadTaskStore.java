package io.dmjava.store;

import static io.dmjava.model.etcd.EtcdKeys.LOAD_TASK;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Unfinished loads ({@code /dm/load-task/{task}/{source}} -> worker name), DM's load-task keys. A worker
 * writes one when its load unit starts for a subtask and deletes it when the load finishes; the master
 * deletes a task's keys with the task. While one points at a worker, that worker holds dump files the
 * load still needs, so the scheduler prefers it for the source.
 */
public final class LoadTaskStore {
    private final EtcdKv kv;

    public LoadTaskStore(EtcdKv kv) {
        this.kv = kv;
    }

    /** One unfinished load: which worker holds the load of {@code task} on {@code source}. */
    public record LoadTask(String task, String source, String worker) {
    }

    /** Records that {@code worker} runs (and holds the files of) the load of the subtask. */
    public void put(String task, String source, String worker) {
        kv.put(LOAD_TASK.key(task, source), bytes(worker));
    }

    /**
     * Deletes the key if it still names {@code worker}; returns whether it did. Another worker that has
     * started the same load since then owns the key, and its mark must stay.
     */
    public boolean deleteIfHeldBy(String task, String source, String worker) {
        String key = LOAD_TASK.key(task, source);
        return kv.txn().requireValue(key, bytes(worker)).delete(key).commit();
    }

    /** Every unfinished load, in key order. */
    public List<LoadTask> all() {
        return kv.getPrefix(LOAD_TASK.rangePrefix()).entrySet().stream().map(e -> {
            List<String> seg = LOAD_TASK.segments(e.getKey());
            return new LoadTask(seg.get(0), seg.get(1), new String(e.getValue(), StandardCharsets.UTF_8));
        }).toList();
    }

    /** The workers holding an unfinished load, by source. */
    public Map<String, Set<String>> holdersBySource() {
        Map<String, Set<String>> out = new TreeMap<>();
        all().forEach(t -> out.computeIfAbsent(t.source(), s -> new TreeSet<>()).add(t.worker()));
        return out;
    }

    /** The key of one subtask's mark, for a caller's transaction (a task losing this source). */
    public String key(String task, String source) {
        return LOAD_TASK.key(task, source);
    }

    /** The prefix of every mark of one task, for a caller's transaction (the task being deleted). */
    public String taskPrefix(String task) {
        return LOAD_TASK.rangePrefix(task);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
