package dev.addernet.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one thread pool every kernel shares, sized to the cores unless {@link #setThreads} says otherwise.
 * Work is split into a fixed number of tasks that depends only on the problem and the thread count, so
 * results (including the order of floating-point sums) are reproducible for a given thread count.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == pool.getParallelism()) return;
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(threads);
        old.shutdown();
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Runs body(0..tasks-1), in parallel when tasks > 1, and returns when all are done. */
    public static void run(int tasks, IntConsumer body) {
        if (tasks == 1) {
            body.accept(0);
            return;
        }
        List<ForkJoinTask<?>> futures = new ArrayList<>(tasks);
        ForkJoinPool p = pool;
        for (int t = 0; t < tasks; t++) {
            final int task = t;
            futures.add(p.submit(() -> body.accept(task)));
        }
        for (ForkJoinTask<?> f : futures) f.join();
    }
}
