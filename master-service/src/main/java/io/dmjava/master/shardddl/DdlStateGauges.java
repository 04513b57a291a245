package io.dmjava.master.shardddl;

import io.dmjava.master.shardddl.PessimismPlan.LockState;
import io.dmjava.master.shardddl.PessimismPlan.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DM's {@code dm_master_ddl_state_number{task, type}}: the leader's shard-DDL locks per task by state
 * ({@code Un-synced}, {@code Synced}). Every pessimistic task has both series, at 0 without a lock, so an alert or a
 * panel sees the task before its first sharded DDL; the series go when the task does and when leadership is lost.
 */
final class DdlStateGauges {
    static final String NAME = "dm_master_ddl_state_number";

    private record Series(String task, Status status) {
    }

    private final MeterRegistry meters;
    private final Map<Series, AtomicLong> values = new ConcurrentHashMap<>();
    private final Map<Series, Gauge> gauges = new ConcurrentHashMap<>();

    DdlStateGauges(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Sets every series from this round's locks; {@code pessimisticTasks} are exported even without a lock. */
    void update(Collection<String> pessimisticTasks, List<LockState> locks) {
        Set<String> tasks = new TreeSet<>(pessimisticTasks);
        locks.forEach(l -> tasks.add(l.task()));
        for (String task : tasks) {
            for (Status st : Status.values()) {
                long n = locks.stream().filter(l -> l.task().equals(task) && l.status() == st).count();
                Series key = new Series(task, st);
                values.computeIfAbsent(key, this::register).set(n);
            }
        }
        values.keySet().removeIf(key -> {
            if (tasks.contains(key.task())) {
                return false;
            }
            meters.remove(gauges.remove(key));
            return true;
        });
    }

    /** Removes every series (leadership lost). */
    void clear() {
        gauges.values().forEach(meters::remove);
        gauges.clear();
        values.clear();
    }

    private AtomicLong register(Series key) {
        AtomicLong value = new AtomicLong();
        gauges.put(key, Gauge.builder(NAME, value, AtomicLong::get)
                .description("Shard DDL locks of each task by state (pessimistic shard mode)")
                .tag("task", key.task()).tag("type", key.status().label()).register(meters));
        return value;
    }
}
