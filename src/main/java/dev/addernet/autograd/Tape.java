package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The define-by-run tape. While a tape is open on a thread, every op whose inputs require a gradient
 * records its backward step here; {@link #backward} replays them in reverse. With no tape open (eval,
 * inference) ops record nothing and keep nothing alive.
 *
 * <pre>{@code
 * try (Tape tape = Tape.open()) {
 *     Tensor loss = CrossEntropy.forward(model.forward(x), labels);
 *     tape.backward(loss);
 * }
 * }</pre>
 */
public final class Tape implements AutoCloseable {
    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();
    private final List<Runnable> steps = new ArrayList<>();

    private Tape() {}

    public static Tape open() {
        if (CURRENT.get() != null) throw new IllegalStateException("a tape is already open on this thread");
        Tape tape = new Tape();
        CURRENT.set(tape);
        return tape;
    }

    /**
     * Marks {@code output} as needing a gradient and records {@code backward} if a tape is open and any
     * input needs a gradient. Returns {@code output} for chaining.
     */
    public static Tensor record(Tensor output, Runnable backward, Tensor... inputs) {
        Tape tape = CURRENT.get();
        if (tape == null) return output;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                output.requiresGrad(true);
                tape.steps.add(backward);
                break;
            }
        }
        return output;
    }

    /** Seeds d(loss)/d(loss) = 1 for a scalar loss and runs every recorded backward step in reverse. */
    public void backward(Tensor loss) {
        if (loss.numel() != 1) throw new IllegalArgumentException("backward needs a scalar loss, got " + loss);
        loss.grad()[0] = 1f;
        for (int i = steps.size() - 1; i >= 0; i--) steps.get(i).run();
        steps.clear();
    }

    @Override
    public void close() {
        steps.clear();
        CURRENT.remove();
    }
}
