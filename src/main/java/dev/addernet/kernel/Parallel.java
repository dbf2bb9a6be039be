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

    /** Work (in elements touched) below which a loop stays on the calling thread: a hand-off costs microseconds. */
    private static final long MIN_PARALLEL_WORK = 1 << 16;

    /** A body over the half-open range [lo, hi). */
    public interface Range { void run(int lo, int hi); }

    /**
     * Runs body over [0, n) split into contiguous ranges, one per thread, when n * workPerItem is large
     * enough to pay for the hand-off; otherwise on the calling thread. For loops whose items are
     * independent (elementwise ops, per-channel statistics each summed by one task), so results do not
     * depend on the split.
     */
    public static void forRange(int n, long workPerItem, Range body) {
        final int tasks = (long) n * workPerItem < MIN_PARALLEL_WORK ? 1 : Math.min(threads(), n);
        if (tasks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        run(tasks, t -> {
            int lo = (int) ((long) n * t / tasks), hi = (int) ((long) n * (t + 1) / tasks);
            if (hi > lo) body.run(lo, hi);
        });
    }
}
