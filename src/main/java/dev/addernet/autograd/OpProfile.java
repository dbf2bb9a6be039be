package dev.addernet.autograd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wall time per op, forward and backward, over the tapes opened on this thread while the profile is
 * active: how {@code bench} shows where a training step goes. Ops are not timed one by one; the tape marks
 * the clock each time an op records itself, so an op's forward time is the time since the previous op (or
 * the tape's opening) recorded: its own compute and whatever glue ran before it (allocating its output,
 * the module calling it). Backward times are each recorded step's own. With no profile active the tape
 * reads no clock.
 *
 * <pre>{@code
 * try (OpProfile profile = OpProfile.start()) {
 *     step.run(x, y, lr);
 *     profile.forwardSeconds();  // {"Conv": 0.08, "BatchNorm": 0.01, ...}
 * }
 * }</pre>
 */
public final class OpProfile implements AutoCloseable {
    private static final ThreadLocal<OpProfile> CURRENT = new ThreadLocal<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final Map<String, Long> forwardNanos = new TreeMap<>(), backwardNanos = new TreeMap<>();
    private long mark;

    private OpProfile() {}

    /** Starts timing the ops of the tapes this thread opens, until {@link #close}. */
    public static OpProfile start() {
        if (CURRENT.get() != null) throw new IllegalStateException("a profile is already active on this thread");
        OpProfile p = new OpProfile();
        CURRENT.set(p);
        return p;
    }

    static OpProfile current() {
        return CURRENT.get();
    }

    /** A tape opened: forward time counts from now. */
    void opened() {
        mark = System.nanoTime();
    }

    /**
     * An op recorded itself: the time since the last mark is its forward's. Returns the op's name (the
     * class that called {@link Tape#record}), which its backward step is timed under.
     */
    String recorded() {
        long now = System.nanoTime();
        String op = WALKER.walk(frames -> frames.map(f -> f.getDeclaringClass())
                .filter(c -> c != OpProfile.class && c != Tape.class).findFirst().map(Class::getSimpleName).orElse("?"));
        forwardNanos.merge(op, now - mark, Long::sum);
        mark = System.nanoTime(); // the stack walk is not the next op's
        return op;
    }

    void backward(String op, long nanos) {
        backwardNanos.merge(op, nanos, Long::sum);
    }

    /** Seconds of each op's forward passes so far, by op name ({@code Conv}, {@code BatchNorm}, {@code Relu}...). */
    public Map<String, Double> forwardSeconds() {
        return seconds(forwardNanos);
    }

    /** Seconds of each op's backward steps so far, by op name. */
    public Map<String, Double> backwardSeconds() {
        return seconds(backwardNanos);
    }

    private static Map<String, Double> seconds(Map<String, Long> nanos) {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((op, n) -> out.put(op, n / 1e9));
        return out;
    }

    @Override
    public void close() {
        CURRENT.remove();
    }
}
