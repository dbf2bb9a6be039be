package dev.addernet.nn;

import dev.addernet.tensor.Tensor;
import java.util.function.Supplier;

/**
 * Sees every layer's input and output during a forward pass: how {@code summary} and {@code count} read
 * the real shapes of a network (rather than a table of constants). Layers call {@link #report} after
 * computing their output; with no observer installed on the thread that is one thread-local read.
 */
@FunctionalInterface
public interface LayerObserver {
    void seen(Module layer, Tensor input, Tensor output);

    /** Runs {@code body} with {@code observer} installed on this thread, and removes it afterwards. */
    static <T> T watch(LayerObserver observer, Supplier<T> body) {
        LayerObserver previous = Holder.CURRENT.get();
        Holder.CURRENT.set(observer);
        try {
            return body.get();
        } finally {
            Holder.CURRENT.set(previous);
        }
    }

    /** Whether an observer is installed on this thread (layers and blocks then keep their inputs intact for it). */
    static boolean watching() {
        return Holder.CURRENT.get() != null;
    }

    /** Called by layers: passes (layer, input, output) to the installed observer, if any; returns {@code output}. */
    static Tensor report(Module layer, Tensor input, Tensor output) {
        LayerObserver o = Holder.CURRENT.get();
        if (o != null) o.seen(layer, input, output);
        return output;
    }

    /** The per-thread slot (interfaces cannot hold private fields). */
    final class Holder {
        private static final ThreadLocal<LayerObserver> CURRENT = new ThreadLocal<>();

        private Holder() {}
    }
}
