package io.dmjava.worker.relay;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's meeting point of relay writers and readers (one bean per worker):
 * <ul>
 * <li>the relay supervisor publishes the relay it runs, and withdraws it when it stops; sync units look up the
 * relay of their source here ({@link #running}) and the worker's registration asks whether any runs (the relay
 * keepalive TTL, docs/ha.md);</li>
 * <li>sync units tell which file their checkpoint is in ({@link #need}); as a {@link RelayRetention} this answers
 * the purger and a new relay's start with the oldest of them. A sync unit reading the upstream registers too: a
 * relay enabled later then starts at that file and the subtask can move over to it.</li>
 * </ul>
 * Everything is in memory and answers without blocking, as the retention contract asks.
 */
public final class RelayLogs implements RelayRetention {
    private final Map<String, RelayLog> published = new ConcurrentHashMap<>();
    /** source -> reader (task) -> the file of its checkpoint. */
    private final Map<String, Map<String, String>> needs = new ConcurrentHashMap<>();

    /** The relay of {@code source} this worker runs, while it is pulling. */
    public Optional<RelayLog> running(String source) {
        return Optional.ofNullable(published.get(source)).filter(RelayLog::running);
    }

    /** Whether this worker runs a relay (whatever its stage: enabled is what counts for the keepalive TTL). */
    public boolean anyPublished() {
        return !published.isEmpty();
    }

    public void publish(RelayLog log) {
        published.put(log.source(), log);
    }

    public void withdraw(RelayLog log) {
        published.remove(log.source(), log);
    }

    /** Reader {@code reader} of {@code source} resumes from {@code file} at the latest (its checkpoint's file). */
    public void need(String source, String reader, String file) {
        if (file == null || !BinlogNames.valid(file)) {
            return; // a GTID-only start names no file yet: nothing to keep for it
        }
        needs.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).put(reader, file);
    }

    /** The reader is gone for good (its subtask was stopped or removed, or its source moved to another worker). */
    public void forget(String source, String reader) {
        Map<String, String> m = needs.get(source);
        if (m != null) {
            m.remove(reader);
        }
    }

    /** Every reader of {@code source} is gone (the source is not served by this worker any more). */
    public void forgetSource(String source) {
        needs.remove(source);
    }

    @Override
    public Optional<String> oldestNeeded(String source) {
        Map<String, String> m = needs.get(source);
        return m == null ? Optional.empty() : m.values().stream().min(BinlogNames.ORDER);
    }
}
