package io.dmjava.worker.sync.causality;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the apply queue of each row change so that changes touching a common key value (primary or unique
 * key, before or after image) run in binlog order on one queue, while unrelated changes spread over all
 * queues. A change whose keys are already held by two different queues is a conflict: the caller must drain
 * every queue, after which {@link #reset} forgets all keys.
 *
 * <p>The choice depends only on the sequence of changes since the last reset, never on timing: a replay from
 * a checkpoint (taken right after a reset) assigns every change to the same queue as the first run did, which
 * is what lets the sync unit recognise exactly which replayed changes a queue had already committed.
 */
public final class Causality {
    /**
     * Remembered keys cost about 120 bytes each: a bound keeps a huge transaction's keys from filling the heap
     * (a million rows' keys would take ~120 MB). Draining when it is reached is deterministic and cheap: one
     * wait for the queues every 65,536 distinct keys.
     */
    static final int MAX_KEYS = 1 << 16;

    private final int queues;
    private final Map<String, Integer> owner = new HashMap<>();

    public Causality(int queues) {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be >= 1");
        }
        this.queues = queues;
    }

    /** The result of {@link #assign}: a queue, or the need to drain first. */
    public record Assignment(int queue, boolean conflict) {
    }

    /**
     * The queue for a change with these keys, remembering them; or a conflict (nothing remembered): drain,
     * {@link #reset}, then assign again.
     */
    public Assignment assign(Collection<String> keys) {
        Integer found = null;
        for (String k : keys) {
            Integer q = owner.get(k);
            if (q != null) {
                if (found != null && !found.equals(q)) {
                    return new Assignment(-1, true);
                }
                found = q;
            }
        }
        if (found == null && owner.size() + keys.size() > MAX_KEYS) {
            return new Assignment(-1, true);
        }
        int queue = found != null ? found : keys.isEmpty() ? 0 : Math.floorMod(keys.iterator().next().hashCode(), queues);
        for (String k : keys) {
            owner.put(k, queue);
        }
        return new Assignment(queue, false);
    }

    /** Forgets every key (all queues have been drained). */
    public void reset() {
        owner.clear();
    }

    public int queues() {
        return queues;
    }
}
