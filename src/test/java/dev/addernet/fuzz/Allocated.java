package dev.addernet.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocates while running something: every allocation counts, freed or not, so it
 * bounds the memory a read can hold at once from above.
 */
public final class Allocated {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What a read throws, if anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** What {@code body} threw (null if nothing) and how many bytes it allocated on this thread. */
    public record Outcome(Throwable thrown, long bytes) {}

    private Allocated() {}

    public static Outcome by(Body body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            body.run();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
}
