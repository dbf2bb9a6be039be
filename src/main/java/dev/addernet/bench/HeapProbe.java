package dev.addernet.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.addernet.models.Models;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Runs ResNet-20 AdderNet training steps in a JVM of its own, started by {@link Bench} with a capped heap
 * ({@code -Xmx}), and prints "steps peak_used_mib max_live_mib": finishing at all shows the steps fit
 * in the cap; the live figure is the largest heap still in use right after a full collection during the
 * steps, NaN when there was none (after a young one, dead objects already promoted still count, which made
 * that figure swing by 0.9 GiB run to run).
 */
public final class HeapProbe {
    private HeapProbe() {}

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]), steps = Integer.parseInt(args[1]);
        AtomicLong maxLive = new AtomicLong();
        var heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                if (!info.getGcAction().contains("major")) return;
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                maxLive.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        ModelBench mb = new ModelBench(Models.config("resnet20", "adder", 3, 32, 10, null));
        var pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        for (int i = 0; i < steps; i++) mb.trainStep(batch);
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        // No full collection during the steps (a roomy cap): no live figure, rather than a 0.
        double live = maxLive.get() > 0 ? maxLive.get() / 1048576.0 : Double.NaN;
        System.out.printf("%d %.1f %.1f%n", steps, peak / 1048576.0, live);
    }
}
