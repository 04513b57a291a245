package io.dmjava.worker.sync;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Records, in a test JVM, the largest heap still in use right after a garbage collection (what the program
 * really holds, not garbage waiting to be collected) and prints it as a {@code HEAP} line that a parent test
 * reads from the child's log.
 */
final class HeapWatch {
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    static HeapWatch start() {
        HeapWatch w = new HeapWatch();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> w.heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                w.collections.incrementAndGet();
                if (used > w.peakAfterGc.getAndAccumulate(used, Math::max)) {
                    w.print();
                }
            }, null, null);
        }
        return w;
    }

    /** One line: peak live heap after GC, the heap's cap, the number of collections seen. */
    void print() {
        System.out.printf("HEAP peak_after_gc_mb=%d max_mb=%d collections=%d%n", peakAfterGc.get() >> 20,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20, collections.get());
        System.out.flush();
    }
}
