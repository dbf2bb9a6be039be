package dev.addernet.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The one set of threads every kernel shares, sized to the cores unless {@link #setThreads} says otherwise.
 * Work is split into a fixed number of tasks that depends only on the problem and the thread count, so
 * results (including the order of floating-point sums) are reproducible for a given thread count.
 *
 * <p>A call runs on the calling thread and {@code threads - 1} helpers, which take tasks from a shared
 * counter. Between calls a helper spins for {@link #SPIN_NANOS} before it parks: waking a parked thread
 * can take tens of microseconds on a virtual machine (as can a ForkJoinPool's hand-off), while a forward pass makes one call per layer, BatchNorm and ReLU, many of them shorter than that
 * (a ResNet-20 1x1 adder layer's forward: 0.2 ms). A call made while another is running (from a task, or
 * from a second thread) runs its tasks on its own thread, with the same results.
 */
public final class Parallel {
    /** How long an idle helper waits for the next call before it parks: longer than a wake-up costs. */
    static final long SPIN_NANOS = 200_000;

    private static volatile Helpers helpers = new Helpers(Runtime.getRuntime().availableProcessors() - 1);

    private Parallel() {}

    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == threads()) return;
        Helpers old = helpers;
        helpers = new Helpers(threads - 1);
        old.shutdown();
    }

    public static int threads() {
        return helpers.count() + 1;
    }

    /** Runs body(0..tasks-1), in parallel when tasks > 1, and returns when all are done. */
    public static void run(int tasks, IntConsumer body) {
        if (tasks == 1 || !helpers.run(tasks, body)) {
            for (int t = 0; t < tasks; t++) body.accept(t);
        }
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

    /** One call's tasks, claimed from a counter by whichever thread comes first. */
    private static final class Job {
        private static final AtomicInteger CALLS = new AtomicInteger();
        /** Which call this is: a helper remembers the number of the last it worked on, not the job (and its arrays). */
        final int call = CALLS.incrementAndGet();
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        void work() {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }
    }

    /** The helper threads and the job they are offered. */
    private static final class Helpers {
        private final Thread[] threads;
        /** Which helpers are parked (or about to be): only those need an unpark, a system call. */
        private final AtomicIntegerArray parked;
        private final AtomicBoolean busy = new AtomicBoolean();
        private volatile Job job;
        private volatile boolean stopped;

        Helpers(int count) {
            threads = new Thread[count];
            parked = new AtomicIntegerArray(count);
            for (int i = 0; i < count; i++) {
                final int helper = i;
                threads[i] = new Thread(() -> serve(helper), "addernet-worker-" + (i + 1));
                threads[i].setDaemon(true);
                threads[i].start();
            }
        }

        int count() {
            return threads.length;
        }

        /** Runs the tasks with the helpers; false (nothing run) when there are none or they are taken. */
        boolean run(int tasks, IntConsumer body) {
            if (threads.length == 0 || !busy.compareAndSet(false, true)) return false;
            try {
                Job j = new Job(tasks, body);
                job = j;
                for (int i = 0; i < threads.length; i++) if (parked.get(i) != 0) LockSupport.unpark(threads[i]);
                j.work();
                for (int spins = 0; j.finished.get() < tasks; spins++) {
                    if (spins < 10_000) Thread.onSpinWait(); else Thread.yield();
                }
                job = null;
                Throwable e = j.failure.get();
                if (e instanceof RuntimeException r) throw r;
                if (e instanceof Error err) throw err;
                return true;
            } finally {
                busy.set(false);
            }
        }

        private void serve(int helper) {
            int done = 0;
            while (!stopped) {
                Job j = job;
                if (j != null && j.call != done) {
                    done = j.call;
                    j.work();
                    continue;
                }
                // Spin a while for the next call, then park until a call (or shutdown) unparks this thread.
                final long until = System.nanoTime() + SPIN_NANOS;
                while ((j = job) == null || j.call == done) {
                    if (stopped) return;
                    if (System.nanoTime() < until) {
                        Thread.onSpinWait();
                        continue;
                    }
                    // Flag, then look again: a call that published its job before seeing the flag is seen here.
                    parked.set(helper, 1);
                    if (((j = job) == null || j.call == done) && !stopped) LockSupport.park(this);
                    parked.set(helper, 0);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Thread t : threads) LockSupport.unpark(t);
        }
    }
}
